"""Allow ``python -m akke_graph``."""

from akke_graph.cli import main

if __name__ == "__main__":
    main()
