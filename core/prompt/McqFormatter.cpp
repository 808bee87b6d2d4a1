#include "prompt/McqFormatter.h"

using namespace Qt::StringLiterals;

namespace anthology {

McqFormatter::McqFormatter(SymbolSet symbols, ChoiceFormat brackets, Behaviour forcing)
    : m_symbols(symbols), m_brackets(std::move(brackets)), m_forcing(forcing)
{
}

McqFormatter::McqFormatter(const McqFormat &format)
    : McqFormatter(format.symbol, format.choice, format.forcing)
{
}

QString McqFormatter::symbol(SymbolSet symbols, int i)
{
    switch (symbols) {
    case SymbolSet::Uppercase:
        return QString(QChar(u'A' + i));
    case SymbolSet::Lowercase:
        return QString(QChar(u'a' + i));
    case SymbolSet::Number:
        break;
    }
    return QString::number(i + 1);
}

QString McqFormatter::marker(int i) const
{
    return m_brackets.leftSymbol + symbol(i) + m_brackets.rightSymbol;
}

QString McqFormatter::choiceLine(int i, const QString &choice) const
{
    return marker(i) + u' ' + choice;
}

QString McqFormatter::choiceLines(const QStringList &choices) const
{
    QString out;
    for (int i = 0; i < choices.size(); ++i) {
        if (i > 0)
            out += u'\n';
        out += choiceLine(i, choices.at(i));
    }
    return out;
}

QString McqFormatter::markerEnumeration(int k) const
{
    // The seed's forcing is fixed to "(A)" markers whatever the choices look like.
    const McqFormatter seedStyle(SymbolSet::Uppercase, ChoiceFormat{}, Behaviour::Ours);
    const McqFormatter &f = m_forcing == Behaviour::Seed ? seedStyle : *this;
    QString out;
    for (int i = 0; i < k; ++i) {
        if (i > 0)
            out += i == k - 1 ? u", or "_s : u", "_s;
        out += f.marker(i);
    }
    return out;
}

QString McqFormatter::forcingLine(int k) const
{
    // The sentence's full stop merges with a dot marker: "Answer with a., b., or c."
    const QString list = markerEnumeration(k);
    return u"Answer with "_s + list + (list.endsWith(u'.') ? QString() : u"."_s);
}

} // namespace anthology
