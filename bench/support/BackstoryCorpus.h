#pragma once

#include "util/SeededRandom.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace anthology::bench {

// The benches' synthetic backstories: pseudo-words from syllables drawn with a Zipf-like law so
// the full-text index looks like prose (the commonest word is in nearly every story). The same
// seed gives the same vocabulary and texts, so a bench that opens a corpus made earlier knows
// its words by rank.
class BackstoryCorpus
{
public:
    BackstoryCorpus();

    const QByteArray &word(int rank) const { return m_words[rank]; }
    // Writes `count` backstories of ~1,500 characters as an importable CSV.
    bool writeCsv(const QString &path, int count);
    // The CSV at `dir`/backstories.csv imported into a fresh `dir`/bench.anthology; the project's
    // path, or an empty string (with the reason on stderr).
    static QString buildProject(const QString &dir, int count);

private:
    const QByteArray &draw();

    SeededRandom m_random;
    QList<QByteArray> m_words;
    QList<double> m_cumulative;
    double m_total = 0;
};

} // namespace anthology::bench
