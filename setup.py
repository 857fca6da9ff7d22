"""Maps the repository's top-level ``sessions/`` and ``media/`` into the package (``player/builtin/``).

Everything else is in ``pyproject.toml``; this file exists because a pyproject-only configuration cannot
add mapped packages beside the ones ``packages.find`` discovers.
"""

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

# The built-in sessions and their media: package inside the wheel -> repository folder.
BUILTIN = {"player.builtin.sessions": "sessions", "player.builtin.media": "media"}


# Packages that carry data only: the scripts that made it (media/render_demo.py, assets/render_icon.py) stay
# in the repository.
DATA_ONLY = (*BUILTIN, "player.assets")


class BuildPy(build_py):
    """Leaves the data-only packages' scripts out of the wheel."""

    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules = super().find_package_modules(package, package_dir)
        if package in DATA_ONLY:
            return [module for module in modules if module[1] == "__init__"]
        return modules


setup(
    packages=[*find_packages(include=["player", "player.*"]), *BUILTIN],
    package_dir=BUILTIN,
    package_data={
        "player.builtin.sessions": ["*.toml"],
        "player.builtin.media": ["*.md", "*/*.mp4", "*/*.vtt", "*/*.png", "*/*/*.mpe"],
        # the app's icon, desktop entry and AppStream metainfo (movement-player desktop-entry installs them)
        "player.assets": ["*.svg", "*.png", "*.desktop", "*.xml"],
    },
    cmdclass={"build_py": BuildPy},
)
