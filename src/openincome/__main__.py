import sys

from openincome.cli import main

sys.exit(main())
