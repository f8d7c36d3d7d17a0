"""Ship templates/ and macros/ inside the wheel as dvcq/_share/ (found by dvcq.resources)."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHARED = ("templates", "macros")


class BuildWithShare(build_py):
    """build_py that also copies the run-time data folders of the repository into the package."""

    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout
            return
        for name in SHARED:
            dest = Path(self.build_lib) / "dvcq" / "_share" / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(HERE / name, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "make_template.py"))


setup(cmdclass={"build_py": BuildWithShare})
