"""The real local stack (moto server, `chalice local`, runner) in a subprocess on free ports, once per session."""
import os

import pytest

from local.stack_process import running_stack


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory):
    log = tmp_path_factory.mktemp("stack") / "stack.log"
    with running_stack(log, rate_scale=os.environ.get("E2E_RATE_SCALE", "0.1")) as stack:
        yield stack
