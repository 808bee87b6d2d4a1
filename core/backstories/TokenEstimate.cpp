#include "backstories/TokenEstimate.h"

#include <cmath>

namespace anthology {

namespace {

bool isLetter(QChar c) { return c.isLetter() || c.isMark(); }

// The length of an English contraction suffix ('s 't 're 've 'm 'll 'd) at i, or 0.
qsizetype contractionAt(QStringView s, qsizetype i)
{
    if (s[i] != u'\'' && s[i] != u'\u2019')
        return 0;
    const QStringView rest = s.mid(i + 1);
    for (QStringView suffix : {u"re", u"ve", u"ll", u"s", u"t", u"m", u"d"}) {
        if (rest.startsWith(suffix, Qt::CaseInsensitive)
            && (rest.size() == suffix.size() || !isLetter(rest[suffix.size()])))
            return 1 + suffix.size();
    }
    return 0;
}

} // namespace

qsizetype TokenEstimate::pieces(QStringView s)
{
    qsizetype count = 0;
    qsizetype i = 0;
    const qsizetype n = s.size();
    while (i < n) {
        ++count;
        if (const qsizetype c = contractionAt(s, i)) {
            i += c;
            continue;
        }
        // A single space joins the piece that follows it (" word", " ,"), as BPE vocabularies do.
        qsizetype j = i;
        if (s[j] == u' ' && j + 1 < n && !s[j + 1].isSpace())
            ++j;
        if (isLetter(s[j])) {
            while (j < n && isLetter(s[j]))
                ++j;
        } else if (s[j].isDigit()) {
            const qsizetype start = j;
            while (j < n && s[j].isDigit() && j - start < 3)
                ++j;
        } else if (s[j].isSpace()) {
            while (j < n && s[j].isSpace())
                ++j;
        } else {
            while (j < n && !s[j].isSpace() && !isLetter(s[j]) && !s[j].isDigit() && !contractionAt(s, j))
                ++j;
        }
        i = j;
    }
    return count;
}

std::optional<qint64> TokenEstimate::scaled(QStringView text, QStringView exactText, std::optional<qint64> exactTokens)
{
    if (!exactTokens)
        return std::nullopt;
    const qsizetype base = pieces(exactText);
    if (base == 0)
        return std::nullopt;
    return qint64(std::llround(double(*exactTokens) * double(pieces(text)) / double(base)));
}

} // namespace anthology
