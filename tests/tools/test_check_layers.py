#!/usr/bin/env python3
"""tools/check-layers on tiny trees: what it lets through and what it refuses, with file:line."""

import pathlib
import subprocess
import sys
import tempfile
import unittest

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "tools" / "check-layers"


class CheckLayers(unittest.TestCase):
    def setUp(self):
        self._dir = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self._dir.name)
        # A clean tree: each folder includes itself and folders below it only.
        self.write("core/util/Result.h", "#pragma once\n#include <QString>\n")
        self.write("core/data/Dataset.h", '#pragma once\n#include "util/Result.h"\n')
        self.write("core/analysis/Report.cpp", '#include "analysis/Report.h"\n\n#include "data/Dataset.h"\n')
        self.write("core/analysis/Report.h", '#pragma once\n#include "util/Result.h"\n')
        self.write("ui/charts/Chart.cpp", '#include "charts/Chart.h"\n#include "analysis/Report.h"\n')
        self.write("ui/Panel.cpp", '#include "Panel.h"\n#include "charts/Chart.h"\n#include "data/Dataset.h"\n')
        self.write("app/cli/main.cpp", '#include "CliOutput.h"\n#include "charts/Chart.h"\n#include "util/Result.h"\n')

    def tearDown(self):
        self._dir.cleanup()

    def write(self, relative, text):
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def run_check(self):
        return subprocess.run([sys.executable, str(SCRIPT), str(self.root)], capture_output=True, text=True,
                              timeout=60)

    def test_clean_tree_passes(self):
        result = self.run_check()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")

    def test_upward_include_in_core_fails_naming_file_line_and_edge(self):
        # The cycle this check was written against: analysis reaching up into export.
        self.write("core/export/CsvWriter.h", "#pragma once\n")
        self.write("core/analysis/Study.cpp",
                   '#include "analysis/Study.h"\n\n#include "data/Dataset.h"\n#include "export/CsvWriter.h"\n')
        result = self.run_check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("core/analysis/Study.cpp:4: core/analysis includes export/CsvWriter.h, but core/export is "
                      "above core/analysis", result.stderr)
        self.assertNotIn("Report.cpp", result.stderr)

    def test_core_never_includes_ui(self):
        self.write("core/data/Plot.cpp", '#include "util/Result.h"\n#include "charts/Chart.h"\n')
        result = self.run_check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("core/data/Plot.cpp:2: core/data includes charts/Chart.h", result.stderr)

    def test_charts_never_include_the_window(self):
        self.write("ui/charts/Bad.cpp", '#include "ui/MainWindow.h"\n')
        result = self.run_check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("ui/charts/Bad.cpp:1: ui/charts includes ui/MainWindow.h, but ui is above ui/charts",
                      result.stderr)

    def test_ui_never_includes_app(self):
        self.write("ui/Bad.h", '#pragma once\n\n#include "cli/CliOutput.h"\n')
        result = self.run_check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("ui/Bad.h:3: ui includes cli/CliOutput.h, but app is above ui", result.stderr)

    def test_a_core_folder_outside_the_order_fails(self):
        self.write("core/newthing/Thing.cpp", '#include "util/Result.h"\n')
        result = self.run_check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("core/newthing/Thing.cpp:1: the folder core/newthing has no place in the layer order",
                      result.stderr)

    def test_every_violation_is_listed(self):
        self.write("core/util/A.h", '#include "data/Dataset.h"\n')
        self.write("core/data/B.h", '// first\n#include "analysis/Report.h"\n')
        result = self.run_check()
        self.assertEqual(result.returncode, 1)
        self.assertIn("core/util/A.h:1:", result.stderr)
        self.assertIn("core/data/B.h:2:", result.stderr)
        self.assertIn("2 include(s)", result.stderr)


if __name__ == "__main__":
    unittest.main()
