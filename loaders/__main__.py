from hub.cli import run
from loaders.cli import main

run(main)   # `python -m loaders --help | head`: the reader going away is not an error of ours
