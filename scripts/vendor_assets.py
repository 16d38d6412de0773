"""Copy the pinned npm front-end assets into the web app's static folder (no CDN at run time)."""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "src" / "openincome" / "web" / "static" / "vendor"

COPIES = [
    ("govuk-frontend/dist/govuk/govuk-frontend.min.css", "govuk/govuk-frontend.min.css"),
    ("govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk/govuk-frontend.min.js"),
    ("govuk-frontend/dist/govuk/assets", "govuk/assets"),
    ("@ministryofjustice/frontend/moj/moj-frontend.min.css", "moj/moj-frontend.min.css"),
    ("@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj/moj-frontend.min.js"),
    ("@ministryofjustice/frontend/moj/assets", "moj/assets"),
    ("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
]


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
    print(f"front-end assets copied to {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
