import sys

from pipeline.cli import main

if __name__ == "__main__":  # the reading workers import the main module: no run there
    sys.exit(main())
