#pragma once

#include <QByteArray>
#include <QString>

namespace anthology::test {

class TempProject;

// A generated backstory corpus (CSV: uid, backstory) whose search counts are known by
// construction, so the search box can be checked against both the raw FTS5 query and the truth.
struct SearchCorpus
{
    static constexpr int kSize = 700;

    static QByteArray csv();
    // A project in dir holding the whole corpus, imported; empty when it could not be made.
    static QString createProject(const TempProject &dir);
    static int phraseGrewUp();    // "grew up" as a phrase
    static int grewAndUp();       // grew and up anywhere, in any order
    static int farPrefix();       // a word starting with "far" (farm, farther; not afar)
    static int phraseAndPrefix(); // "grew up" and a far* word
};

} // namespace anthology::test
