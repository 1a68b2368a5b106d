"""Settings for the hostile-input suites.

Hypothesis profiles, chosen with ``HYPOTHESIS_PROFILE``:

- ``ci`` (the default): derandomised, no example database, a bounded number of examples, so
  every run of the test suite tries the same inputs and the property suite stays within
  about a minute on two cores;
- ``long``: random, with the example database, many more examples: for exploring, e.g.
  ``HYPOTHESIS_PROFILE=long python -m pytest tests/hostile/test_properties.py``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=60,
    deadline=None,  # time is bounded by the fuzz harness' slow-case check, not per example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
