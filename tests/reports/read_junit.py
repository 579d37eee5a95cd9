# Parses a JUnit file with Python's XML parser and prints what it holds as JSON.
import json
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
cases = []
for case in root.iter("testcase"):
    entry = dict(case.attrib)
    for child in case:
        entry["outcome"] = child.tag
        entry["message"] = child.get("message")
        entry["text"] = child.text
    cases.append(entry)
suites = [dict(s.attrib) for s in root.iter("testsuite")]
print(json.dumps({"root": dict(root.attrib), "suites": suites, "cases": cases}))
