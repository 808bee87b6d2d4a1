#include "example/DemoModel.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// A uniform number in [0, 1) from a text: stable across platforms and runs.
double unitHash(const QString &text)
{
    const QByteArray d = QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
    quint64 v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | quint8(d[i]);
    return double(v >> 11) / double(quint64(1) << 53);
}

// Every answer says what it is, so an export read on its own cannot pass for a model's.
const QString kLabel = u" [scripted demo answer, not an LLM]"_s;

} // namespace

QString DemoModel::modelName()
{
    return u"scripted-demo-model-not-an-llm"_s;
}

QString DemoModel::answer(const QString &prompt, std::optional<qint64> seed, int sampleIndex)
{
    const qsizetype lastChoices = prompt.lastIndexOf(u"\n(A) "_s);
    if (lastChoices < 0)
        return u" I am the scripted demo model of Anthology Workbench's example project, not a language model."_s;
    // The question starts at the blank line before its first choice; the persona is what comes
    // before (a backstory, a demographic profile, earlier questions and answers).
    const qsizetype questionStart = std::max<qsizetype>(0, prompt.lastIndexOf(u"\n\n"_s, lastChoices));
    const QString persona = prompt.left(questionStart);
    const QString question = prompt.mid(questionStart);
    static const QRegularExpression choiceLine(u"\\n\\(([A-Z])\\) ([^\\n]*)"_s);
    QStringList choices;
    for (auto it = choiceLine.globalMatch(question); it.hasNext();)
        choices.append(it.next().captured(2).trimmed());
    if (choices.isEmpty())
        return u" (A)"_s + kLabel;
    const QString sample = (seed ? QString::number(*seed) : u"-"_s) + u'/' + QString::number(sampleIndex);
    const double draw = unitHash(u"draw|"_s + prompt + u'|' + sample);
    if (draw < 0.04)
        return u" I would rather not pick one of those."_s + kLabel;
    const bool lastIsRefusal = choices.size() > 2 && choices.constLast().startsWith(u"Prefer not"_s);
    if (lastIsRefusal && draw < 0.06)
        return u" (%1)"_s.arg(QChar(char16_t(u'A' + choices.size() - 1))) + kLabel;
    const qsizetype substantive = choices.size() - (lastIsRefusal ? 1 : 0);
    const auto pick = [&](double unit) {
        return std::clamp<qsizetype>(qsizetype(std::floor(unit * double(substantive))), 0, substantive - 1);
    };
    qsizetype index = 0;
    if (lastIsRefusal) {
        // A demographic question: half the samples name the persona's own answer, the rest any
        // option, so every option keeps some probability and matching has weights to compare.
        index = unitHash(u"mix|"_s + prompt + u'|' + sample) < 0.5
                    ? pick(unitHash(u"trait|"_s + persona + u'|' + question))
                    : pick(unitHash(u"any|"_s + prompt + u'|' + sample));
    } else {
        // An opinion: persona and question each lean the answer; the sample adds noise of
        // about one option.
        index = pick(0.65 * unitHash(u"persona|"_s + persona) + 0.35 * unitHash(u"question|"_s + question) +
                     (unitHash(u"noise|"_s + prompt + u'|' + sample) - 0.5) * 0.5);
    }
    return u" (%1)"_s.arg(QChar(char16_t(u'A' + index))) + kLabel;
}

} // namespace anthology
