"""The workbench hashes passwords at RFC 9106's cost; the test suite's cheap cost stays in the tests."""

from __future__ import annotations

import subprocess
import sys

from argon2 import extract_parameters, profiles

from tasks.accounts import hash_password, passwords, verify_password


def test_a_fresh_process_hashes_at_rfc_9106_low_memory_cost():
    code = "from tasks.accounts import hash_password; print(hash_password('Xq7-tomato-harbour'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert extract_parameters(out) == profiles.RFC_9106_LOW_MEMORY == passwords.PARAMETERS
    # a hash made at the workbench's cost still verifies while the suite hashes cheaply
    assert verify_password(out, "Xq7-tomato-harbour") and not verify_password(out, "Xq7-tomato-harbouR")
    assert passwords.needs_rehash(out)


def test_the_suite_runs_at_argon2s_cheapest_cost():
    assert extract_parameters(hash_password("Xq7-tomato-harbour")) == profiles.CHEAPEST
