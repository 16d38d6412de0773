"""Copy the pinned npm front-end assets into the web app's static folder (no CDN at run time).

The two stylesheets are compiled from the packages' Sass (scripts/*-frontend.scss) rather than
copied: the published CSS asks for fonts and images at /assets/ and for GDS Transport, which
only GOV.UK services may use.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "src" / "openincome" / "web" / "static" / "vendor"

COPIES = [
    ("govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk/govuk-frontend.min.js"),
    ("govuk-frontend/dist/govuk/assets", "govuk/assets"),
    ("@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj/moj-frontend.min.js"),
    ("@ministryofjustice/frontend/moj/assets", "moj/assets"),
    ("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
]
STYLESHEETS = [
    ("govuk-frontend.scss", "govuk/govuk-frontend.min.css"),
    ("moj-frontend.scss", "moj/moj-frontend.min.css"),
]


def compile_stylesheets() -> int:
    """Compile each stylesheet with the pinned Dart Sass from npm; non-zero on failure."""
    sass = NODE / ".bin" / "sass"
    for source, target in STYLESHEETS:
        dst = VENDOR / target
        dst.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [str(sass), f"--load-path={NODE}", f"--load-path={ROOT}", "--style=compressed",
             "--no-source-map", "--quiet", str(ROOT / "scripts" / source), str(dst)],
            capture_output=True, text=True,
        )
        if done.returncode != 0:
            print(f"compiling {source} failed:\n{done.stderr}", file=sys.stderr)
            return 1
    return 0


def main() -> int:
    """Copy every asset; fail loudly if npm has not installed them."""
    for source, target in COPIES:
        src = NODE / source
        dst = VENDOR / target
        if not src.exists():
            print(f"missing {src}: run 'npm ci' first", file=sys.stderr)
            return 1
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    if compile_stylesheets():
        return 1
    print(f"front-end assets copied to {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
