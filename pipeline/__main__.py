from pipeline.cli import entry

if __name__ == "__main__":  # the reading workers import the main module: no run there
    entry()
