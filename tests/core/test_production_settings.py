"""Production settings come from the environment; `check --deploy` must have nothing to say."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "APP_ENV": "production",
    "SECRET_KEY": "k3Jd9-production-like-secret-for-the-check-only-7f2a61c0e4b8d5",
    "DATABASE_URL": "postgres://app@db.internal:5432/sfd",
    "ALLOWED_HOSTS": "sfd.example.gov.cn",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PLATFORM_URL": "https://sfd.example.gov.cn",
    "FIELD_ENCRYPTION_KEYS": "q0sX1i4f5oI8Z2rB6mN9vT3wY7uE0aC4dG8hJ1kL2pQ=",
    "AUDIT_HMAC_KEYS": "k1:7pQ2c0m3Jx8eV1tLr9uN4yB6sD5wF0aZk3HhG2qE8iM=",
}


def run_manage(*args, env_changes):
    dropped = {"DATABASE_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_reports_nothing_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env_changes=PRODUCTION_ENV)
    assert (result.returncode, result.stderr.strip()) == (0, "")
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env_changes=env)
    assert result.returncode == 1
    assert "SECRET_KEY must be set when APP_ENV=production" in result.stderr


def test_production_refuses_the_demo_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "local-insecure-demo-key-never-use-in-production"}
    result = run_manage("check", "--deploy", env_changes=env)
    assert result.returncode == 1
    assert "core.E001" in result.stderr


def test_production_refuses_sqlite():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"}
    result = run_manage("check", env_changes=env)
    assert result.returncode == 1
    assert "core.E002" in result.stderr


def test_production_refuses_to_start_without_its_public_address():
    result = run_manage("check", env_changes={**PRODUCTION_ENV, "PLATFORM_URL": ""})
    assert result.returncode == 1
    assert "PLATFORM_URL must be set when APP_ENV=production" in result.stderr


def test_production_refuses_a_public_address_that_is_not_absolute():
    result = run_manage("check", env_changes={**PRODUCTION_ENV, "PLATFORM_URL": "sfd.example.gov.cn"})
    assert result.returncode == 1
    assert "core.E003" in result.stderr


def test_production_refuses_to_start_without_an_audit_key():
    result = run_manage("check", env_changes={**PRODUCTION_ENV, "AUDIT_HMAC_KEYS": ""})
    assert result.returncode == 1
    assert "AUDIT_HMAC_KEYS or AUDIT_HMAC_KEY_FILE must be set when APP_ENV=production" in result.stderr


def test_production_refuses_a_short_audit_key_or_an_unknown_current_one():
    short = run_manage("check", env_changes={**PRODUCTION_ENV, "AUDIT_HMAC_KEYS": "k1:c2hvcnQ="})
    assert (short.returncode, "audit.E004" in short.stderr) == (1, True)
    unknown = run_manage("check", env_changes={**PRODUCTION_ENV, "AUDIT_HMAC_KEY_ID": "k9"})
    assert (unknown.returncode, "audit.E002" in unknown.stderr) == (1, True)
