import sys
from pathlib import Path

# The app package is importable from the repository root without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
