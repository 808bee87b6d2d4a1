#pragma once

#include <QString>

namespace anthology::ui {

// Where Help ▸ Documentation points: the docs installed beside the program
// (<prefix>/share/doc/anthology-workbench), or the docs/ folder of the source tree the program
// was built from. Both sit at a fixed place relative to the default configs folder.
class DocumentationLink
{
public:
    // The folder holding README.md and the other pages; empty when neither is there.
    static QString folder();
    // Opens that folder in the desktop's file manager; false when there is none or the desktop
    // refused.
    static bool open();
};

} // namespace anthology::ui
