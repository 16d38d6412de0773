"""CSV interchange (INTERCHANGE.md): validate, import and export a folder.

The API lives in `openincome.interchange.api`; it is re-exported here lazily, because this
package is a Django app and must import without touching models before Django is set up.
"""

_API = {
    "Error",
    "ImportFailed",
    "ImportResult",
    "export_folder",
    "import_folder",
    "validate_folder",
}


def __getattr__(name: str):
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
