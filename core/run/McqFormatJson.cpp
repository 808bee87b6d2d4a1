#include "run/McqFormatJson.h"

#include "survey/SurveyTypes.h"

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QString symbolName(SymbolSet s)
{
    switch (s) {
    case SymbolSet::Uppercase:
        return u"uppercase"_s;
    case SymbolSet::Lowercase:
        return u"lowercase"_s;
    case SymbolSet::Number:
        return u"number"_s;
    }
    return u"uppercase"_s;
}

SymbolSet symbolFrom(const QString &s)
{
    if (s == u"lowercase"_s)
        return SymbolSet::Lowercase;
    if (s == u"number"_s)
        return SymbolSet::Number;
    return SymbolSet::Uppercase;
}

} // namespace

QString behaviourName(Behaviour behaviour)
{
    return behaviour == Behaviour::Seed ? u"seed"_s : u"ours"_s;
}

Behaviour behaviourFrom(const QJsonValue &value)
{
    return value.toString() == u"seed"_s ? Behaviour::Seed : Behaviour::Ours;
}

QJsonObject mcqFormatToJson(const McqFormat &format)
{
    return QJsonObject{
        {u"mcq_symbol"_s, symbolName(format.symbol)},        {u"choice_left"_s, format.choice.leftSymbol},
        {u"choice_right"_s, format.choice.rightSymbol},      {u"surveyor"_s, format.roles.surveyor},
        {u"respondent"_s, format.roles.respondent},          {u"connector"_s, format.roles.connector},
        {u"answer_forcing"_s, behaviourName(format.forcing)}};
}

McqFormat mcqFormatFromJson(const QJsonObject &f)
{
    McqFormat format;
    format.symbol = symbolFrom(f.value(u"mcq_symbol"_s).toString());
    format.choice.leftSymbol = f.value(u"choice_left"_s).toString(u"("_s);
    format.choice.rightSymbol = f.value(u"choice_right"_s).toString(u")"_s);
    format.roles.surveyor = f.value(u"surveyor"_s).toString(u"Question"_s);
    format.roles.respondent = f.value(u"respondent"_s).toString(u"Answer"_s);
    format.roles.connector = f.value(u"connector"_s).toString(u":"_s);
    format.forcing = behaviourFrom(f.value(u"answer_forcing"_s));
    return format;
}

} // namespace anthology
