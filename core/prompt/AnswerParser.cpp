#include "prompt/AnswerParser.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace anthology {

struct AnswerParser::SeedPatterns
{
    QList<QRegularExpression> regexes;
};

namespace {

bool opensSymbol(QChar c)
{
    return c == u'[' || c == u'(' || c == u'"' || c == u'\'' || c == u' ';
}

bool closesSymbol(QStringView rest)
{
    if (rest.isEmpty())
        return true;
    const QChar c = rest.front();
    if (!(c == u']' || c == u')' || c == u'"' || c == u'\'' || c == u'.' || c == u',' || c == u' '))
        return false;
    static const QString excluded[] = {u" great"_s, u" lot"_s, u" little"_s, u" good"_s, u" bad"_s};
    for (const QString &word : excluded)
        if (rest.startsWith(word))
            return false;
    return true;
}

bool isSymbolChar(QChar c, SymbolSet symbols)
{
    switch (symbols) {
    case SymbolSet::Uppercase:
        return c >= u'A' && c <= u'Z';
    case SymbolSet::Lowercase:
        return c >= u'a' && c <= u'z';
    case SymbolSet::Number:
        return c >= u'0' && c <= u'9';
    }
    return false;
}

} // namespace

AnswerParser::AnswerParser(QStringList shownChoices, AnswerParserOptions options, OptionOrder order)
    : m_choices(std::move(shownChoices)), m_options(options), m_order(std::move(order))
{
    if (m_order.size() != m_choices.size())
        m_order = OptionOrder(int(m_choices.size()));
    if (m_options.labelMatch == Behaviour::Seed) {
        m_patterns = std::make_unique<SeedPatterns>();
        for (const QString &label : m_choices)
            m_patterns->regexes << QRegularExpression(label, QRegularExpression::CaseInsensitiveOption);
    }
}

AnswerParser::~AnswerParser() = default;

QStringList AnswerParser::countedSymbols(QStringView answer, SymbolSet symbols)
{
    QStringList found;
    const qsizetype n = answer.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (!isSymbolChar(answer[i], symbols))
            continue;
        if (i > 0 && !opensSymbol(answer[i - 1]))
            continue;
        // Our generalization: an apostrophe inside a word ("I'd", "don't") opens no
        // lowercase letter or number; the uppercase rule stays as the seed wrote it.
        if (symbols != SymbolSet::Uppercase && i > 1 && answer[i - 1] == u'\'' &&
            answer[i - 2].isLetterOrNumber())
            continue;
        qsizetype end = i + 1;
        if (symbols == SymbolSet::Number) {
            while (end < n && isSymbolChar(answer[end], symbols))
                ++end;
            if (end + 1 < n && answer[end] == u'.' && answer[end + 1].isDigit()) {
                i = end;
                continue;
            }
        }
        if (closesSymbol(answer.sliced(end))) {
            const QString symbol = answer.sliced(i, end - i).toString();
            if (!found.contains(symbol))
                found << symbol;
        }
        i = end - 1;
    }
    return found;
}

int AnswerParser::symbolIndex(const QString &symbol) const
{
    switch (m_options.symbols) {
    case SymbolSet::Uppercase:
        return symbol.at(0).unicode() - u'A';
    case SymbolSet::Lowercase:
        return symbol.at(0).unicode() - u'a';
    case SymbolSet::Number:
        break;
    }
    QString digits = symbol;
    while (digits.size() > 1 && digits.startsWith(u'0'))
        digits.remove(0, 1);
    if (digits.size() > 6)
        return 1 << 30; // far beyond any option list
    return digits.toInt() - 1;
}

QList<int> AnswerParser::matchingLabels(QStringView answer) const
{
    QList<int> matched;
    for (int i = 0; i < m_choices.size(); ++i) {
        const bool hit = m_patterns ? m_patterns->regexes.at(i).isValid() &&
                                          m_patterns->regexes.at(i).match(answer).hasMatch()
                                    : answer.contains(m_choices.at(i), Qt::CaseInsensitive);
        if (hit)
            matched << i;
    }
    if (m_options.textRule == Behaviour::Seed)
        return matched;
    QList<int> kept;
    for (int i : matched) {
        bool inside = false;
        for (int j : matched)
            inside = inside || (m_choices.at(j).size() > m_choices.at(i).size() &&
                                m_choices.at(j).contains(m_choices.at(i), Qt::CaseInsensitive));
        if (!inside)
            kept << i;
    }
    return kept;
}

ParsedAnswer AnswerParser::parse(QStringView answer) const
{
    ParsedAnswer r;
    const int k = int(m_choices.size());
    r.symbols = countedSymbols(answer, m_options.symbols);
    if (r.symbols.size() == 1) {
        const int index = symbolIndex(r.symbols.constFirst());
        if (index >= 0 && index < k)
            r.letter = index;
        else
            r.letterBeyond = true;
    }
    r.labels = matchingLabels(answer);
    if (r.labels.size() == 1)
        r.text = r.labels.constFirst();

    if (r.letterBeyond) {
        r.reason = u"option symbol %1 is beyond the %2 options"_s.arg(r.symbols.constFirst()).arg(k);
    } else if (r.letter >= 0 && r.text >= 0 && r.letter != r.text) {
        r.reason =
            u"option symbol %1 and label \"%2\" disagree"_s.arg(r.symbols.constFirst(), m_choices.at(r.text));
    } else if (r.letter >= 0 || r.text >= 0) {
        r.shown = r.letter >= 0 ? r.letter : r.text;
        r.option = m_order.originalIndex(r.shown);
        r.compliant = true;
    } else if (r.symbols.size() > 1) {
        r.reason = u"several option symbols (%1) and no single label"_s.arg(r.symbols.join(u", "));
    } else if (r.labels.size() > 1) {
        r.reason = u"several option labels and no option symbol"_s;
    } else {
        r.reason = u"no option symbol or label found"_s;
    }
    return r;
}

} // namespace anthology
