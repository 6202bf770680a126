"""iamgraph: what can this AWS principal really reach?"""

__version__ = "0.1.0"
