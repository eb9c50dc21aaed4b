from ._qualify import *  # noqa  (temporary)
from ._qualify import load, apply
