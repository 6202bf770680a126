import iamgraph.cli  # noqa: F401  (registers commands)

from . import app as _app  # noqa: F401
from .app import main

main()
