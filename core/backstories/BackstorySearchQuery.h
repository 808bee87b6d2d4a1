#pragma once

#include "util/Result.h"

#include <QString>

namespace anthology {

// The search box's syntax, shared by the workbench and `anthology backstories search`: words
// that must all occur, "a phrase" whose words occur together in that order, and prefix* for
// any word that starts so. Everything else is literal text: AND, OR, NEAR, parentheses,
// colons and minus signs are words, never FTS5 operators, so no box text reaches SQLite as
// syntax it could reject.
class BackstorySearchQuery
{
public:
    // The FTS5 MATCH expression for the box text; empty when it holds nothing to search for
    // (only punctuation, empty quotes). An unclosed quote is a user Error that says where it is.
    static Result<QString> toFts5(const QString &text);
};

} // namespace anthology
