"""Settings of the benchmark's server: the app's own, with the bare view's URL added."""

from meedoen.settings import *  # noqa: F403

ROOT_URLCONF = "meedoen.bench.urls"
