# Reads JUnit files with junitparser (Debian's python3-junitparser, a JUnit consumer as CI tools
# are) and prints what it found as JSON: the totals, each suite with its properties and output,
# each test case with its outcome. Attribute values are printed as written.
import json
import sys

try:
    from junitparser import Error, Failure, JUnitXml, Skipped
    from junitparser.junitparser import SystemErr, SystemOut
except ImportError:
    sys.exit("read_junit.py: junitparser is missing (Debian: python3-junitparser; scripts/setup.sh installs it)")

OUTCOMES = {Failure: "failure", Error: "error", Skipped: "skipped"}


def attributes(element):
    return dict(element._elem.attrib)


def text_of(suite, kind):
    child = suite.child(kind)
    return child.text if child is not None else None


def read_case(case):
    entry = {"name": case.name, "classname": case.classname, "attributes": attributes(case),
             "outcome": "passed"}
    results = case.result
    if results:
        result = results[0]
        entry["outcome"] = OUTCOMES[type(result)]
        entry["message"] = result.message
        entry["text"] = result.text
        entry["results"] = len(results)
    return entry


def read_file(path):
    xml = JUnitXml.fromfile(path)
    suites = []
    for suite in xml:
        suites.append({
            "name": suite.name,
            "attributes": attributes(suite),
            "properties": {p.name: p.value for p in suite.properties()},
            "system_out": text_of(suite, SystemOut),
            "system_err": text_of(suite, SystemErr),
            "cases": [read_case(case) for case in suite],
        })
    return {"root": attributes(xml), "suites": suites}


if __name__ == "__main__":
    print(json.dumps(read_file(sys.argv[1])))
