"""The soak test of issue 8 (`make soak`): locust, headless, 300 simulated people for
5 minutes doing what the platform's people do, against the production topology.

    units (60 %)          open their home, edit the self-assessment (autosave, as the
                          page's htmx does), read their materials, upload a small file now
                          and then
    inspectors (12 %)     open their scoresheets and save scores (autosave)
    staff (5 %)           read the inbox and applications, register and review some
    associations (8 %)    the workspace, its units, the reporting progress, the list
    the public (15 %)     the showcase: named sites and experience articles

Who is who comes from the plan of bench/soak_setup.py (SOAK_PLAN): a signed-in session
each, and the rows each writes to, never shared with another simulated person. Every
write goes to soak-writes.jsonl (what, which object, which value) as a "sent" line before
it is sent and an "ack" line once the server acknowledged it (a 2xx, or the redirect of
a form that saved), for bench/soak_check.py to find in the database afterwards. While
the test runs, the resident memory of each application server's gunicorn workers (found
by the pid files of the topology folder, SOAK_DIR) goes to soak-memory.jsonl every
SAMPLE_SECONDS; at the end the figures of the requests go to soak-locust.json.

A GET that redirects is a failure unless the page does that on purpose (a signed-in
page that sends its reader to the sign-in form has lost the session). Think time between
actions: SOAK_WAIT seconds ("min,max").

    locust -f bench/soak.py --headless -u 300 -r 10 -t 300s --host http://127.0.0.1:18280
"""

import itertools
import json
import os
import random
import re
import secrets
import string
import time
import uuid
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

BASE_DIR = Path(__file__).resolve().parents[1]
PLAN_FILE = Path(os.environ.get("SOAK_PLAN", BASE_DIR / "var" / "soak-prod" / "soak-plan.json"))
TOPOLOGY_DIR = Path(os.environ.get("SOAK_DIR", PLAN_FILE.parent))
WRITES_FILE = TOPOLOGY_DIR / "soak-writes.jsonl"
MEMORY_FILE = TOPOLOGY_DIR / "soak-memory.jsonl"
SUMMARY_FILE = TOPOLOGY_DIR / "soak-locust.json"
SAMPLE_SECONDS = 10
WAIT_MIN, WAIT_MAX = (float(part) for part in os.environ.get("SOAK_WAIT", "3,10").split(","))

# The smallest file the upload's content check accepts as a PDF (materials' tests use it).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TOKEN_PATTERN = r'name="i{indicator}-edit_token"[^>]*?value="([^"]*)"'
ROW_PATTERN = re.compile(r'max="([0-9.]+)" step="0\.5" name="i(\d+)-score"')
FORM_TOKEN = re.compile(r'name="i(\d+)-edit_token"[^>]*?value="([^"]*)"')
SUCCESS_ALERT = re.compile(r'class="alert alert-success[^"]*">\s*([^<]*?)\s*<')
DANGER_ALERT = re.compile(r'class="alert alert-danger[^"]*">\s*([^<]*?)\s*<')
REGISTRATION_CODE = re.compile(r"\d{4}-\d{5}")

_plan: dict = {}
_turns = {kind: itertools.count() for kind in ("unit", "inspector", "staff", "association")}
_writes = None


def plan() -> dict:
    if not _plan:
        _plan.update(json.loads(PLAN_FILE.read_text()))
    return _plan


def _log(record: dict) -> None:
    # Flushed line by line: a crash later must not lose the evidence.
    global _writes
    if _writes is None:
        _writes = WRITES_FILE.open("a", buffering=1)
    _writes.write(json.dumps({**record, "at": round(time.time(), 3)}, ensure_ascii=False) + "\n")


def write_sent(record: dict) -> dict:
    """Log a write about to be sent, under an id of its own: one that is never answered
    (a failure, or the test stopping while it is in flight) may still have been saved,
    after the last acknowledged write of its row, and the checker must know it."""
    record = {**record, "id": uuid.uuid4().hex[:16]}
    _log({**record, "state": "sent"})
    return record


def write_acknowledged(record: dict, **answer) -> None:
    """Log the server's acknowledgement of a sent write (with what it answered)."""
    _log({**record, **answer, "state": "ack"})


# Memory of the application servers ------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_sample(started: float) -> dict:
    """The RSS (KiB) of every gunicorn worker of each application server (app-N.pid holds
    its master's pid; the workers are the master's children)."""
    servers = {}
    for pid_file in sorted(TOPOLOGY_DIR.glob("app-*.pid")):
        try:
            master = int(pid_file.read_text().strip())
        except (OSError, ValueError):
            continue
        workers = {str(pid): _rss_kib(pid) for pid in _children(master)}
        servers[pid_file.stem] = {"master": master, "master_kib": _rss_kib(master), "workers": workers}
    total = sum(sum(server["workers"].values()) for server in servers.values())
    load = round(os.getloadavg()[0], 2)
    return {"t": round(time.time() - started, 1), "workers_kib": total, "load": load, "servers": servers}


def _sample_memory(environment) -> None:
    started = time.time()
    with MEMORY_FILE.open("a", buffering=1) as file:
        while environment.runner is not None and environment.runner.state not in ("stopping", "stopped", "quitting"):
            file.write(json.dumps(memory_sample(started)) + "\n")
            gevent.sleep(SAMPLE_SECONDS)
        file.write(json.dumps(memory_sample(started)) + "\n")


@events.test_start.add_listener
def _start(environment, **kwargs):
    for path in (WRITES_FILE, MEMORY_FILE, SUMMARY_FILE):
        path.unlink(missing_ok=True)
    plan()
    gevent.spawn(_sample_memory, environment)


@events.quitting.add_listener
def _summary(environment, **kwargs):
    stats = environment.stats

    def figures(entry) -> dict:
        return {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "max_ms": round(entry.max_response_time or 0, 1),
        }

    summary = {
        "total": figures(stats.total),
        "duration_s": round((stats.total.last_request_timestamp or 0) - (stats.total.start_time or 0), 1),
        "by_name": {f"{entry.method} {entry.name}": figures(entry) for entry in stats.entries.values()},
        "errors": [
            {"method": error.method, "name": error.name, "error": str(error.error), "occurrences": error.occurrences}
            for error in stats.errors.values()
        ],
        "users": environment.runner.user_count if environment.runner else 0,
    }
    SUMMARY_FILE.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    if _writes is not None:
        _writes.close()


# The simulated people ---------------------------------------------------------------------


class Person(HttpUser):
    """A signed-in person of the plan: its session and a CSRF secret of its own in the
    cookie jar. Cookies the server sets (Secure in production) are sent back over http://
    as browsers do to 127.0.0.1: the messages cookie of a form's redirect is one."""

    abstract = True
    kind = ""
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        entries = plan()[self.kind]
        self.entry = entries[next(_turns[self.kind]) % len(entries)]
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.client.cookies.set(plan()["session_cookie"], self.entry["session"])
        self.client.cookies.set(plan()["csrf_cookie"], self.csrf)
        self.client.headers["X-CSRFToken"] = self.csrf

    def browser_cookies(self) -> None:
        # requests sends a Secure cookie over https only, whatever the jar's policy (each
        # request gets a fresh jar): the flag goes before the next request instead.
        for cookie in self.client.cookies:
            cookie.secure = False

    def page(self, url: str, name: str, *, redirect_to: str | None = None):
        """GET one page; the response, or None when it failed."""
        self.browser_cookies()
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if redirect_to is not None and response.status_code == 302:
                if redirect_to not in response.headers.get("Location", ""):
                    response.failure(f"redirected to {response.headers.get('Location')}")
                    return None
                return response
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}".strip())
                return None
            return response

    def post(self, url: str, name: str, data: dict, **kwargs):
        self.browser_cookies()
        return self.client.post(
            url,
            data={"csrfmiddlewaretoken": self.csrf, **data},
            name=name,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        )


class RowEditor:
    """The rows of one autosaving page (self-assessment, scoresheet) as the page shows
    them: each row's largest score and its edit token, kept current after each save as
    the page's script does."""

    def __init__(self, html: str):
        self.max_score = {int(row): float(top) for top, row in ROW_PATTERN.findall(html)}
        self.tokens = {int(row): token for row, token in FORM_TOKEN.findall(html)}

    def pick(self) -> tuple[int, str] | None:
        rows = [row for row in self.max_score if row in self.tokens]
        if not rows:
            return None
        row = random.choice(rows)
        steps = int(self.max_score[row] * 2)
        value = random.randint(0, steps) / 2
        return row, (f"{value:g}")

    def autosave(self, person: Person, url: str, name: str, row: int, fields: dict, record: dict) -> None:
        """Save `fields` of `row` as the page's htmx does; log the write (`record`)."""
        data = {f"i{row}-{field}": value for field, value in fields.items()}
        data[f"i{row}-edit_token"] = self.tokens[row]
        record = write_sent(record)
        with person.post(url, name, data, headers={"HX-Request": "true"}) as response:
            token = re.search(TOKEN_PATTERN.format(indicator=row), response.text or "")
            if response.status_code != 200 or token is None:
                response.failure(f"{response.status_code}: not saved")
                return
            self.tokens[row] = token.group(1)
        write_acknowledged(record)


class Unit(Person):
    kind = "unit"
    weight = 60

    def on_start(self):
        super().on_start()
        self.editor = None
        # "/" is the landing page for visitors too: this one says whether the session holds.
        self.page("/applications/mine/", "unit: my application", redirect_to="/assessment/")

    @task(2)
    def home(self):
        self.page("/", "unit: home")
        self.page("/applications/mine/", "unit: my application", redirect_to="/assessment/")

    @task(10)
    def edit_assessment(self):
        """Open the self-assessment (again, now and then) and change a few rows."""
        application = self.entry["application"]
        url = f"/applications/{application}/assessment/"
        if self.editor is None or random.random() < 0.3:
            response = self.page(url, "unit: self-assessment")
            if response is None:
                return
            self.editor = RowEditor(response.text)
        for _ in range(random.randint(1, 3)):
            picked = self.editor.pick()
            if picked is None:
                return
            row, score = picked
            account = f"soak {uuid.uuid4().hex[:12]}：本单位已开展心理疏导活动。"
            self.editor.autosave(
                self,
                f"/applications/{application}/indicators/{row}/",
                "unit: autosave",
                row,
                {"score": score, "account": account},
                {"kind": "indicator", "application": application, "indicator": row, "score": score, "account": account},
            )
            self.wait()

    @task(2)
    def materials(self):
        self.page("/materials/", "unit: materials")

    @task(1)
    def evidence(self):
        self.page("/materials/evidence/", "unit: evidence")

    @task(1)
    def upload(self):
        title = f"soak {uuid.uuid4().hex[:12]}"
        name = f"{title.replace(' ', '-')}.pdf"
        files = {"file": (name, PDF, "application/pdf")}
        record = write_sent(
            {"kind": "upload", "user": self.entry["user"], "title": title, "name": name, "size": len(PDF)}
        )
        with self.post("/materials/upload/", "unit: upload", {"kind": "supporting", "title": title}, files=files) as r:
            if r.status_code != 302:
                r.failure(f"{r.status_code}: not uploaded")
                return
        write_acknowledged(record)
        self.page("/materials/", "unit: materials")


class Inspector(Person):
    kind = "inspector"
    weight = 12

    def on_start(self):
        super().on_start()
        self.editors: dict[int, RowEditor] = {}

    @task(1)
    def mine(self):
        self.page("/inspections/mine/", "inspector: my inspections")

    @task(6)
    def score(self):
        sheet = random.choice(self.entry["sheets"])
        editor = self.editors.get(sheet)
        if editor is None or random.random() < 0.3:
            response = self.page(f"/inspections/sheets/{sheet}/", "inspector: scoresheet")
            if response is None:
                return
            editor = self.editors[sheet] = RowEditor(response.text)
        for _ in range(random.randint(1, 3)):
            picked = editor.pick()
            if picked is None:
                return
            row, score = picked
            comment = f"soak {uuid.uuid4().hex[:12]}：现场查看台账。"
            editor.autosave(
                self,
                f"/inspections/sheets/{sheet}/indicators/{row}/",
                "inspector: autosave",
                row,
                {"score": score, "comment": comment},
                {"kind": "score", "sheet": sheet, "indicator": row, "score": score, "comment": comment},
            )
            self.wait()


class Staff(Person):
    kind = "staff"
    weight = 5

    def on_start(self):
        super().on_start()
        self.to_register = list(self.entry["register"])
        self.to_review = list(self.entry["review"])

    @task(4)
    def inbox(self):
        self.page("/applications/inbox/", "staff: inbox")

    @task(3)
    def application(self):
        mine = self.entry["register"] + self.entry["review"]
        if not mine:
            return
        pk = random.choice(mine)
        self.page(f"/applications/{pk}/", "staff: application")

    @task(1)
    def dashboard(self):
        self.page("/dashboard/", "staff: dashboard")

    @task(2)
    def register(self):
        if not self.to_register:
            return
        pk = self.to_register.pop(0)
        self.page(f"/applications/{pk}/", "staff: application")
        record = write_sent({"kind": "register", "application": pk})
        with self.post(f"/applications/{pk}/register/", "staff: register", {}) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}: not registered")
                return
        # The outcome is the message on the page the form goes back to.
        answer = self.page(f"/applications/{pk}/", "staff: application")
        if answer is None:
            return
        success = SUCCESS_ALERT.search(answer.text)
        code = REGISTRATION_CODE.search(success.group(1)) if success else None
        if code is None:
            refused = DANGER_ALERT.search(answer.text)
            events.request.fire(
                request_type="POST",
                name="staff: register (outcome)",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"register refused: {refused.group(1) if refused else 'no message'}"),
            )
            return
        write_acknowledged(record, code=code.group(0))

    @task(2)
    def review(self):
        if not self.to_review:
            return
        pk = self.to_review.pop(0)
        if self.page(f"/applications/{pk}/review/", "staff: review page") is None:
            return
        decision, reason = (
            ("pass", "") if random.random() < 0.8 else ("return", f"soak {uuid.uuid4().hex[:12]}：请补充台账。")
        )
        record = write_sent(
            {
                "kind": "review",
                "application": pk,
                "reviewer": self.entry["user"],
                "decision": decision,
                "reason": reason,
            }
        )
        with self.post(f"/applications/{pk}/review/", "staff: review", {"decision": decision, "reason": reason}) as r:
            if r.status_code != 302:
                r.failure(f"{r.status_code}: review not recorded")
                return
        write_acknowledged(record)


class Association(Person):
    kind = "association"
    weight = 8

    @task(3)
    def workspace(self):
        self.page("/reports/workspace/", "association: workspace")

    @task(2)
    def units(self):
        self.page("/reports/workspace/units/", "association: workspace units")

    @task(2)
    def progress(self):
        self.page("/reports/progress/", "association: reporting progress")

    @task(2)
    def applications(self):
        self.page("/applications/", "association: applications")


class Public(HttpUser):
    """A visitor of the showcase, not signed in."""

    weight = 15
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def page(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(1)
    def home(self):
        self.page("/showcase/", "public: showcase")

    @task(3)
    def sites(self):
        self.page(f"/showcase/sites/?page={random.randint(1, 5)}", "public: named sites")

    @task(4)
    def site(self):
        self.page(f"/showcase/sites/{random.choice(plan()['public']['sites'])}/", "public: named site")

    @task(2)
    def articles(self):
        self.page("/showcase/articles/", "public: articles")

    @task(3)
    def article(self):
        self.page(f"/showcase/articles/{random.choice(plan()['public']['articles'])}/", "public: article")
