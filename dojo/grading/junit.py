"""JUnit XML, as Jenkins' junit plugin and GitLab's unit test reports read it.

Well-formed XML 1.0 whatever a student printed: characters XML cannot hold
(ESC, NUL, BEL, form feed, …) are shown as ``\\x1b`` text (dojo/grading/text.py).
The class file (``OUT/junit.xml``) has one ``testsuite`` per student and puts
the student in every test name, because GitLab keeps only the first of
tests with the same name. Provenance goes in ``<properties>``.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from dojo import katas as table
from dojo.grading.text import xml_safe


def suite(record, prefix: bool) -> ET.Element:
    s, tests = record.student, record.tests
    el = ET.Element("testsuite", name=xml_safe(s.name), tests=str(len(tests)),
                    failures=str(sum(t.status == "failed" for t in tests)),
                    errors=str(sum(t.status == "error" for t in tests)),
                    skipped=str(sum(t.status == "skipped" for t in tests)),
                    time=f"{sum(t.duration for t in tests):.3f}", timestamp=record.provenance.get("date", ""))
    props = ET.SubElement(el, "properties")
    for key, value in (("dojo", record.provenance.get("dojo")), ("python", record.provenance.get("python")),
                       ("options", " ".join(record.provenance.get("options", []))),
                       ("gradings merged", str(len(record.gradings)))):
        ET.SubElement(props, "property", name=key, value=xml_safe(str(value or "")))
    for t in tests:
        kata = table.BY_NUMBER[t.kata].name
        name = f"{s.name} · {t.kata} · {t.name}" if prefix else f"{t.kata} · {t.name}"
        case = ET.SubElement(el, "testcase", classname=xml_safe(f"{s.name}.{kata}" if prefix else f"katas.{kata}"),
                             name=xml_safe(name), time=f"{t.duration:.3f}")
        if t.line_no:
            case.set("file", f"tests/test_{table.BY_NUMBER[t.kata].file}")
            case.set("line", str(t.line_no))
        if t.status in ("failed", "error"):
            ET.SubElement(case, "failure" if t.status == "failed" else "error",
                          message=xml_safe(t.headline or t.dojo_status), type=t.dojo_status).text = xml_safe(t.message)
        elif t.status == "skipped":
            ET.SubElement(case, "skipped", message=xml_safe(t.message))
        if t.output:
            ET.SubElement(case, "system-out").text = xml_safe(t.output)
    return el


def render(records: list, prefix: bool = False) -> str:
    root = ET.Element("testsuites")
    for r in records:
        root.append(suite(r, prefix))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
