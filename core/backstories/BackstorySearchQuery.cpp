#include "backstories/BackstorySearchQuery.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// A term whose text has no letter or digit holds no token; FTS5 would match nothing with it
// (or reject a bare star), so it is left out.
bool hasToken(QStringView text)
{
    return std::any_of(text.begin(), text.end(), [](QChar c) { return c.isLetterOrNumber(); });
}

// One FTS5 string: the text quoted (inner quotes doubled), so the tokenizer splits it and the
// tokens must occur in a row; a trailing star makes the last token a prefix.
QString fts5String(QStringView text, bool prefix)
{
    QString quoted = text.toString();
    quoted.replace(u'"', u"\"\""_s);
    return u'"' + quoted + u'"' + (prefix ? u"*"_s : QString());
}

} // namespace

Result<QString> BackstorySearchQuery::toFts5(const QString &text)
{
    QStringList terms;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const QChar c = text.at(i);
        if (c.isSpace()) {
            ++i;
            continue;
        }
        if (c == u'"') {
            const qsizetype close = text.indexOf(u'"', i + 1);
            if (close < 0)
                return Error::user(
                           u"the quote at character %1 is not closed: add a closing quote (\") to end the phrase"_s.arg(i + 1))
                    .withKey(u"query"_s);
            const QStringView phrase = QStringView(text).mid(i + 1, close - i - 1);
            i = close + 1;
            bool prefix = false;
            while (i < n && text.at(i) == u'*') {
                prefix = true;
                ++i;
            }
            if (hasToken(phrase))
                terms.append(fts5String(phrase, prefix));
            continue;
        }
        qsizetype end = i;
        while (end < n && !text.at(end).isSpace() && text.at(end) != u'"')
            ++end;
        QStringView word = QStringView(text).mid(i, end - i);
        i = end;
        bool prefix = false;
        while (word.endsWith(u'*')) {
            prefix = true;
            word.chop(1);
        }
        if (hasToken(word))
            terms.append(fts5String(word, prefix));
    }
    return terms.join(u' ');
}

} // namespace anthology
