from .app import main
from . import app as _app  # noqa: F401
import iamgraph.cli  # noqa: F401  (registers commands)

main()
