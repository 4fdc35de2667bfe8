"""Shared by the peer benchmarks: install numpy and python-flint with pip when missing."""
import importlib
import subprocess
import sys

P = 2**61 - 1


def need(module, package):
    """Imports `module`, installing `package` with pip first if it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)
        return importlib.import_module(module)
