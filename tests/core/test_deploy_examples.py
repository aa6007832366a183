"""The deployment examples in deploy/ parse and agree with the code, so they cannot rot.

Checked: the compose file and the systemd units parse; every command they run is a
management command; every scheduled job the README lists has a timer (and every timer is in
the README); the environment they set is read by settings.py; nginx takes the largest upload,
passes the headers the application reads and sets the application's own security headers.
"""

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from django.test import Client

from bouwplaats.core.uploads import DOCUMENT_MAX_BYTES
from bouwplaats.planning import uploads as planning_uploads
from bouwplaats.projects.models import Attachment
from bouwplaats.spaces import conf as spaces_conf

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
NGINX = DEPLOY / "nginx"


# --- parsing helpers -------------------------------------------------------------------------


def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Parse a systemd unit: sections of keys, each with its values (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"{path.name}:{number}: a key before any section"
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Za-z]+", key), f"{path.name}:{number}: {raw!r}"
        current.setdefault(key, []).append(value.strip())
    return sections


def parse_nginx(text: str) -> list:
    """Parse nginx configuration into a tree: [name, args, children or None] per directive."""
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|[{};]|[^\s{};"]+', re.sub(r"#[^\n]*", "", text))
    stack: list[list] = [[]]
    words: list[str] = []
    for token in tokens:
        if token == ";":
            assert words, "an empty directive"
            stack[-1].append([words[0], words[1:], None])
            words = []
        elif token == "{":
            block: list = []
            stack[-1].append([words[0], words[1:], block])
            stack.append(block)
            words = []
        elif token == "}":
            assert not words, f"directive without ';' before '}}': {words}"
            stack.pop()
            assert stack, "an unmatched '}'"
        else:
            words.append(token[1:-1] if token.startswith('"') else token)
    assert len(stack) == 1 and not words, "an unclosed block"
    return stack[0]


def directives(tree: list, name: str) -> list:
    return [node for node in tree if node[0] == name]


def location(tree: list, *args: str) -> list:
    [node] = [node for node in directives(tree, "location") if node[1] == list(args)]
    return node[2]


def headers_added(block: list) -> dict[str, str]:
    return {node[1][0]: node[1][1] for node in directives(block, "add_header")}


def csp_directives(policy: str) -> dict[str, list[str]]:
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def manage_commands(argv: list[str]) -> list[str]:
    """Return the management command names in a command line (``… manage.py NAME …``)."""
    # A shell line's word may end in its separator ("send_registration_mails;").
    return [
        re.match(r"%?\w+", argv[i + 1])[0]
        for i, word in enumerate(argv[:-1])
        if word.endswith("manage.py")
    ]


def readme_jobs() -> dict[str, str]:
    """Return the README's "Scheduled jobs" commands with the comment that says when."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Scheduled jobs", 1)[1]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    jobs = {}
    for line in block.strip().splitlines():
        match = re.fullmatch(r"\.venv/bin/python manage\.py (\w+)\s+#\s*(.+)", line.strip())
        assert match, f"README scheduled job line not understood: {line!r}"
        jobs[match[1]] = match[2]
    return jobs


# Read by boto3 itself when settings.media_storage() hands it an S3 client.
READ_BY_BOTO3 = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


def environment_read_by_settings() -> set[str]:
    source = (ROOT / "bouwplaats" / "settings.py").read_text()
    pattern = (
        r'(?:os\.environ\.get|env_bool|env_list|os\.environ\[|env\.get|env\[)\(?\s*"([A-Z_0-9]+)"'
    )
    return set(re.findall(pattern, source)) | READ_BY_BOTO3


COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
UNITS = {path.name: parse_unit(path) for path in sorted(SYSTEMD.iterdir())}
TIMERS = {name: unit for name, unit in UNITS.items() if name.endswith(".timer")}


# --- compose ---------------------------------------------------------------------------------


def test_compose_has_the_whole_stack():
    services = COMPOSE["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert "minio" in services["s3"]["image"]
    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"][2] == "rqworker"
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert services["nginx"]["image"].startswith("nginx:")
    for name in ("web", "worker", "migrate", "jobs"):
        assert services[name]["environment"]["TASKS_BACKEND"] == "rq"
        assert services[name]["environment"]["MEDIA_STORAGE"] == "s3"
        assert services[name]["env_file"] == "bouwplaats.env"
    assert (DEPLOY / "bouwplaats.env.example").exists()


def test_compose_runs_only_existing_management_commands_and_mounts_existing_files():
    known = get_commands()
    ran = set()
    for name, service in COMPOSE["services"].items():
        command = service.get("command")
        if command is None:
            continue
        argv = command if isinstance(command, list) else shlex.split(command)
        argv = [word for part in argv for word in shlex.split(part)]
        for found in manage_commands(argv):
            assert found in known, f"compose service {name} runs unknown command {found}"
            ran.add(found)
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (DEPLOY / source).exists(), f"compose service {name} mounts {source}"
    assert {"migrate", "rqworker", "newsletter_deliver", "send_registration_mails"} <= ran
    assert (ROOT / COMPOSE["services"]["web"]["build"]["dockerfile"]).exists()


# --- systemd ---------------------------------------------------------------------------------


def test_every_unit_parses_and_runs_an_existing_command():
    known = get_commands()
    services = {name: unit for name, unit in UNITS.items() if name.endswith(".service")}
    assert {
        "bouwplaats-web.service",
        "bouwplaats-worker@.service",
        "bouwplaats-job@.service",
        "bouwplaats-resume.service",
    } <= set(services)
    for name, unit in services.items():
        service = unit["Service"]
        assert service["EnvironmentFile"] == ["/etc/bouwplaats/bouwplaats.env"], name
        assert service["WorkingDirectory"] == ["/srv/bouwplaats"], name
        [exec_start] = service["ExecStart"]
        argv = shlex.split(exec_start)
        assert argv[0].startswith("/srv/bouwplaats/.venv/bin/"), name
        for found in manage_commands(argv):
            assert found == "%i" or found in known, f"{name} runs unknown command {found}"
    web = shlex.split(services["bouwplaats-web.service"]["Service"]["ExecStart"][0])
    assert web[:2] == ["/srv/bouwplaats/.venv/bin/gunicorn", "bouwplaats.wsgi:application"]
    bind = web[web.index("--bind") + 1]
    upstream = parse_nginx((NGINX / "upstream.conf").read_text())
    [servers] = [node[2] for node in directives(upstream, "upstream")]
    assert directives(servers, "server")[0][1][0] == bind


def test_every_readme_scheduled_job_has_a_timer_and_is_a_command():
    known = get_commands()
    jobs = readme_jobs()
    timed = {}
    for name, unit in TIMERS.items():
        [target] = unit["Timer"]["Unit"]
        match = re.fullmatch(r"bouwplaats-job@(\w+)\.service", target)
        assert match, f"{name} starts {target}, not bouwplaats-job@<command>.service"
        assert unit["Install"]["WantedBy"] == ["timers.target"], name
        timed[match[1]] = unit["Timer"]["OnCalendar"]
    for command, when in jobs.items():
        assert command in known, f"README lists {command}, which is no management command"
        if re.match(r"(daily|weekly|hourly|every)\b", when):
            assert command in timed, f"README says {command} runs {when!r}: it needs a timer"
    assert set(timed) <= set(jobs), "a timer for a job the README does not list"
    assert jobs["newsletter_deliver"].startswith("after a restart")
    resume = UNITS["bouwplaats-resume.service"]["Service"]["ExecStart"][0]
    assert manage_commands(shlex.split(resume)) == ["newsletter_deliver"]


def test_timer_calendars_are_valid():
    """systemd's own parser reads each OnCalendar= expression."""
    for name, unit in TIMERS.items():
        for expression in unit["Timer"]["OnCalendar"]:
            done = subprocess.run(
                ["systemd-analyze", "calendar", expression], capture_output=True, text=True
            )
            assert done.returncode == 0, f"{name}: {expression!r}: {done.stderr}"


# --- environment -----------------------------------------------------------------------------


def test_the_examples_set_only_variables_that_settings_read():
    read = environment_read_by_settings()
    assert {"DATABASE_URL", "SECRET_KEY", "LOG_FORMAT", "CACHE_URL"} <= read
    example = (DEPLOY / "bouwplaats.env.example").read_text().splitlines()
    names = [line.split("=", 1)[0] for line in example if line and not line.startswith("#")]
    assert names, "the example sets no variables"
    app = COMPOSE["x-app"]["environment"]
    for name in [*names, *app]:
        assert name in read, f"{name} is set in deploy/ but settings.py does not read it"


# --- nginx -----------------------------------------------------------------------------------

SITE = parse_nginx((NGINX / "bouwplaats.conf").read_text())
LOCATIONS = parse_nginx((NGINX / "bouwplaats-locations.conf").read_text())


def test_both_sites_include_the_shared_locations():
    for name in ("bouwplaats.conf", "compose-site.conf"):
        tree = parse_nginx((NGINX / name).read_text())
        servers = [node[2] for node in directives(tree, "server")]
        includes = [node[1] for server in servers for node in directives(server, "include")]
        assert ["/etc/nginx/snippets/bouwplaats-locations.conf"] in includes, name
        # Each site says which scheme the visitor used, for X-Forwarded-Proto.
        assert any(node[1][1] == "$bouwplaats_proto" for node in directives(tree, "map")), name


@pytest.mark.django_db
def test_nginx_takes_the_largest_upload_the_application_takes():
    [size] = [node[1][0] for node in directives(LOCATIONS, "client_max_body_size")]
    limit = int(size.removesuffix("m")) * 1024 * 1024
    largest = max(
        DOCUMENT_MAX_BYTES,
        spaces_conf.document_max_bytes(),
        spaces_conf.photo_max_bytes(),
        Attachment.max_bytes(),
        planning_uploads.MAX_BYTES,
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    )
    assert limit >= largest + 1024 * 1024, "room for the multipart envelope"


def test_nginx_lets_a_long_search_through_to_the_page_that_refuses_it():
    [[count, size]] = [node[1] for node in directives(LOCATIONS, "large_client_header_buffers")]
    # 10,000 characters of a long street search, each up to 3 bytes of UTF-8 percent-encoded.
    assert int(count) >= 2 and int(size.removesuffix("k")) * 1024 >= 10_000 * 9 + 1024


def test_nginx_passes_what_django_reads():
    proxied = location(LOCATIONS, "/")
    headers = {node[1][0]: node[1][1] for node in directives(proxied, "proxy_set_header")}
    assert headers["Host"] == "$host"
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Request-ID"] == "$request_id"
    # The header settings.SECURE_PROXY_SSL_HEADER names (HTTP_X_FORWARDED_PROTO).
    assert headers["X-Forwarded-Proto"] == "$bouwplaats_proto"
    assert directives(proxied, "proxy_pass")[0][1] == ["http://bouwplaats_web"]
    # One policy, the application's: nginx adds no security header to proxied answers.
    assert headers_added(proxied) == {}
    assert location(LOCATIONS, "/media/") == [["return", ["404"], None]]
    health = location(LOCATIONS, "=", "/healthz")
    assert directives(health, "proxy_pass")[0][1] == ["http://bouwplaats_web"]
    # The health check is proxied alike, request id included.
    assert directives(health, "proxy_set_header") == directives(proxied, "proxy_set_header")
    assert directives(health, "proxy_http_version") == directives(proxied, "proxy_http_version")


def test_make_install_prod_installs_no_dev_tools_and_the_readme_uses_it(tmp_path):
    venv = tmp_path / "venv"
    dry_run = subprocess.run(
        ["make", "-n", "install-prod", f"VENV={venv}", "PYTHON=python3"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    installs = [line for line in dry_run.splitlines() if " pip install " in line]
    assert installs[-1].endswith(f"{venv}/bin/python -m pip install --quiet -e .")
    assert "[dev]" not in dry_run
    assert "bouwplaats/static/vendor" in dry_run, "the assets too"
    section = production_section()
    assert "make install-prod" in section
    # Installing and upgrading use it; only the fault tests' own step installs the dev tools.
    assert "make install-prod" in step(4)
    assert "make install assets" not in section


@pytest.mark.django_db
def test_static_files_get_the_applications_own_security_headers():
    static = location(LOCATIONS, settings.STATIC_URL)
    assert directives(static, "alias")[0][1] == [f"/srv/bouwplaats/{settings.STATIC_ROOT.name}/"]
    added = headers_added(static)
    answer = Client().get("/healthz")
    assert csp_directives(added["Content-Security-Policy"]) == csp_directives(
        answer["Content-Security-Policy"]
    )
    assert added["X-Frame-Options"] == answer["X-Frame-Options"] == settings.X_FRAME_OPTIONS
    assert added["Referrer-Policy"] == answer["Referrer-Policy"]
    assert added["X-Content-Type-Options"] == answer["X-Content-Type-Options"] == "nosniff"
    source = (ROOT / "bouwplaats" / "settings.py").read_text()
    hsts_default = re.search(r'"SECURE_HSTS_SECONDS", "(\d+)"', source)[1]
    # includeSubDomains and preload are the domain owner's choice (both off by default).
    for name in ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"):
        assert re.search(rf'env_bool\("{name}", default=False\)', source), name
    assert added["Strict-Transport-Security"] == f"max-age={hsts_default}"


def test_the_readme_production_section_names_every_unit_and_script():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Productie", 1)[1].split("\n## ", 1)[0]
    for name in UNITS:
        # A template (name@.service) is named with its instance (name@1, name@<command>).
        unit = name.removesuffix(".service").removesuffix(".timer")
        assert unit in section, f"the README's production section does not mention {name}"
    for script in ("deploy/backup.sh", "deploy/restore.sh"):
        assert script in section and (ROOT / script).stat().st_mode & 0o111, script


def test_every_variable_settings_reads_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    # BOUWPLAATS_TESTING is set by the test settings only.
    missing = {
        name
        for name in environment_read_by_settings() - {"BOUWPLAATS_TESTING"}
        if f"`{name}`" not in readme
    }
    assert not missing, f"README.md does not document {sorted(missing)}"


# --- a newcomer's walk through the README's "Productie" ---------------------------------------

ENV_EXAMPLE = DEPLOY / "bouwplaats.env.example"


def production_section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("## Productie", 1)[1].split("\n## ", 1)[0]


def step(number: int) -> str:
    """Return the text of the Productie section's step ``number`` ("**N. …**" to the next)."""
    section = production_section()
    return section.split(f"**{number}. ", 1)[1].split(f"**{number + 1}. ", 1)[0]


def test_the_env_example_is_sourced_by_sh_as_the_readme_does():
    """`set -a; . file; set +a` works and every value reads back without its quotes."""
    names = [
        line.split("=", 1)[0]
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line and not line.startswith("#")
    ]
    script = 'set -a; . "$1"; set +a; for name in ' + " ".join(names) + "; do "
    script += 'eval "printf \'%s=%s\\n\' $name \\"\\$$name\\""; done'
    done = subprocess.run(
        ["sh", "-c", script, "sh", str(ENV_EXAMPLE)],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and not done.stderr, done.stderr
    values = dict(line.split("=", 1) for line in done.stdout.splitlines())
    assert values["DEFAULT_FROM_EMAIL"] == "Bouwplaats <noreply@bouwplaats.example.nl>"
    assert values["DATABASE_URL"].startswith("postgres://bouwplaats:")
    assert set(values) == set(names)


def test_every_env_example_value_is_read_alike_by_sh_systemd_and_compose():
    """Unquoted values hold nothing a shell treats specially; double-quoted ones hold nothing
    the three readers treat differently ($ ` \\ " expand or escape in sh and compose)."""
    for line in ENV_EXAMPLE.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, value = line.split("=", 1)
        if value.startswith('"'):
            assert value.endswith('"') and not set(value[1:-1]) & set('$`\\"'), line
        elif value.startswith("'"):
            assert value.endswith("'") and "'" not in value[1:-1], line
        else:
            assert not set(value) & set(" \t<>&;|()$`\\\"'*?[#~"), f"quote the value: {line}"


def test_the_readme_says_how_to_quote_and_percent_encode():
    section = production_section()
    assert "double quotes" in section and "single quotes" in section
    [command] = re.findall(r"`(python3 -c 'import sys, urllib\.parse[^`]+)`", section)
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=True)
    shown = re.search(r"prints `([^`]+)`", section.split(command, 1)[1])[1]
    assert done.stdout.strip() == shown == "pass%2Fw%40rd"
    for name in ("DATABASE_URL", "CACHE_URL", "RQ_URL"):
        assert name in section.split("percent-encoded", 1)[0].rsplit("\n\n", 1)[-1], name


def test_compose_demands_its_secrets_instead_of_defaulting_them():
    text = (DEPLOY / "compose.yaml").read_text()
    assert "change-me" not in text
    used = re.findall(r"\$\{(\w+)(:?[-?+]?)([^}]*)\}", text)
    assert used, "compose sets no password from the environment"
    for name, operator, message in used:
        assert operator == ":?" and name in message, f"${{{name}{operator}{message}}}"


def test_the_readme_installs_what_it_uses_and_creates_what_the_units_write():
    section = production_section()
    packages = step(1).split("apt-get install", 1)[1].split("```", 1)[0].split()
    for tool in ("sudo", "curl", "jq"):
        if f"{tool} " in section.replace(f"apt-get install {tool}", ""):
            assert tool in packages, f"the README uses {tool} but step 1 does not install it"
    created = step(2)
    for name, unit in UNITS.items():
        for paths in unit.get("Service", {}).get("ReadWritePaths", []):
            for path in paths.split():
                # "-" makes a missing path no error; otherwise step 2 must create it.
                assert path.startswith("-") or path in created, f"{name}: {path}"
    # The backup folder is private (the dumps hold personal data).
    assert re.search(r"install -d -m 0700 [^\n]*/var/backups/bouwplaats", created)


def test_backup_sets_a_private_umask_before_writing_anything():
    lines = (DEPLOY / "backup.sh").read_text().splitlines()
    umask = lines.index("umask 077")
    writes = [i for i, line in enumerate(lines) if re.match(r"(mkdir|pg_dump|tar)\b", line)]
    assert writes and umask < min(writes)


def test_restore_script_and_readme_name_the_same_database_and_steps():
    header = (DEPLOY / "restore.sh").read_text().split("set -euo", 1)[0]
    restore = production_section().split("**Restore**", 1)[1].split("**Upgrade.**", 1)[0]
    [database] = re.findall(r"createdb --owner=bouwplaats (\w+)", restore)
    assert re.search(rf"createdb --owner=bouwplaats {database}\b", header)
    assert "cd /srv/bouwplaats" in restore
    assert "/etc/bouwplaats/bouwplaats.env" in restore.split("deploy/restore.sh", 1)[0]
    assert "install -d" in restore  # an empty media folder
    assert 'echo "restored: ' in (DEPLOY / "restore.sh").read_text()


def test_load_demo_is_called_with_its_not_production_flag_where_debug_is_off():
    from bouwplaats.core.management.commands.load_demo import NOT_PRODUCTION_FLAG

    calls = re.findall(r"manage\.py load_demo\b[^\n]*", (ROOT / "Makefile").read_text())
    assert calls and all(NOT_PRODUCTION_FLAG in call for call in calls), calls
    # bin/prod-like passes it through an array ("${demo_flags[@]}").
    assert NOT_PRODUCTION_FLAG in (ROOT / "bin" / "prod-like").read_text()
    assert f"load_demo {NOT_PRODUCTION_FLAG}" in production_section()


def test_security_md_and_nginx_point_at_what_the_readme_says():
    section = production_section()
    for heading in re.findall(r'"([A-Z][a-z]+)" in the README', (ROOT / "SECURITY.md").read_text()):
        assert f"**{heading}.**" in section or f"## {heading}" in section, heading
    [certbot] = re.findall(r"certbot certonly[^\n`#]*?(?=\s*#|\n)", section)
    comment = (NGINX / "bouwplaats.conf").read_text()
    assert certbot.strip() in comment.replace("\n# ", " ")
    assert "certbot --nginx" not in comment


def test_readme_paths_are_the_pages_themselves_not_redirects():
    from django.urls import resolve
    from django.views.generic import RedirectView

    readme = (ROOT / "README.md").read_text()
    for path in set(
        re.findall(r"`(/(?:werk|sessies|kennis|nieuwsflits|oproepen)[a-z0-9/-]*/)`", readme)
    ):
        match = resolve(path)
        view_class = getattr(match.func, "view_class", None)
        assert not (view_class and issubclass(view_class, RedirectView)), path


def test_the_secret_files_the_examples_ask_for_are_never_committed():
    """compose reads deploy/bouwplaats.env and deploy/.env: both hold passwords."""
    done = subprocess.run(
        ["git", "check-ignore", "deploy/bouwplaats.env", "deploy/.env"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.stdout.split() == ["deploy/bouwplaats.env", "deploy/.env"]


def test_gunicorns_control_socket_folder_is_never_committed():
    done = subprocess.run(
        ["git", "check-ignore", ".gunicorn/gunicorn.ctl"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.stdout.split() == [".gunicorn/gunicorn.ctl"]


def test_the_readme_restore_points_database_url_at_the_new_database(tmp_path):
    """The README's sed, run on the example environment, changes DATABASE_URL alone."""
    restore = production_section().split("**Restore**", 1)[1].split("**Upgrade.**", 1)[0]
    [line] = [line for line in restore.splitlines() if line.startswith("sed -i ")]
    env = tmp_path / "bouwplaats.env"
    env.write_text(
        ENV_EXAMPLE.read_text() + "DATABASE_REPLICA_URL=postgres://r@replica/bouwplaats\n"
    )
    before = env.read_text().splitlines()
    done = subprocess.run(
        ["sh", "-c", line.replace("/etc/bouwplaats/bouwplaats.env", str(env))],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    [database] = re.findall(r"createdb --owner=bouwplaats (\w+)", restore)
    assert done.stdout.strip().endswith(f"/{database}")
    changed = [
        (old, new)
        for old, new in zip(before, env.read_text().splitlines(), strict=True)
        if old != new
    ]
    assert [old.split("=", 1)[0] for old, _ in changed] == ["DATABASE_URL"]


def test_deploy_readme_lists_every_file_in_deploy():
    listed = (DEPLOY / "README.md").read_text()
    for path in sorted(DEPLOY.rglob("*")):
        name = path.relative_to(DEPLOY).as_posix()
        if path.is_dir() or name == "README.md":
            continue
        # The timers are listed as one pattern.
        if name.endswith(".timer"):
            name = "systemd/bouwplaats-*.timer"
        assert f"`{name}`" in listed, f"deploy/README.md misses {name}"
