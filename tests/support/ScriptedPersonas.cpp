#include "ScriptedPersonas.h"

#include <QCryptographicHash>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace anthology::test {

namespace {

quint32 hashOf(const QString &text)
{
    const QByteArray d = QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha1);
    return (quint32(quint8(d[0])) << 24) | (quint32(quint8(d[1])) << 16) | (quint32(quint8(d[2])) << 8) |
           quint32(quint8(d[3]));
}

QStringList words(const QString &text)
{
    QStringList out;
    for (const QString &w : text.split(u' ', Qt::SkipEmptyParts))
        out.append(u' ' + w);
    return out;
}

const QString kCitizen = u"Are you a US citizen?"_s;
const QString kStory = u"Tell me about yourself"_s;
const QString kNotMentioned = u"Was not mentioned"_s;

} // namespace

int scriptedChoice(const QString &backstory, const QString &question, int choiceCount)
{
    return int(hashOf(backstory.trimmed() + u'|' + question.trimmed()) % quint32(qMax(1, choiceCount)));
}

bool scriptedStoryIsShort(qint64 seed, const ScriptedPersonasOptions &options)
{
    return hashOf(u"short/"_s + QString::number(seed)) % quint32(qMax(1, options.shortOneIn)) == 0;
}

std::function<std::optional<QStringList>(const QString &, std::optional<qint64>, int, int)>
scriptedPersonas(ScriptedPersonasOptions options)
{
    return [options](const QString &promptKey, std::optional<qint64> seed, int sampleIndex,
                     int) -> std::optional<QStringList> {
        const QString seedText = seed ? QString::number(*seed) : u"none"_s;
        // A multiple-choice question: "(A) " at a line start; the question starts at the
        // blank line before its first choice.
        static const QRegularExpression choiceLine(u"(^|\\n)[\\(\\[]?([A-Z])[\\)\\]\\.]? "_s);
        const qsizetype firstChoice = promptKey.indexOf(u"\n(A) "_s);
        // A story or citizenship question after the last choices (a demographics-primed prompt
        // whose qa prefix lists choices) is not a multiple-choice question.
        const qsizetype lastChoice = promptKey.lastIndexOf(u"\n(A) "_s);
        const bool openQuestionLast = promptKey.lastIndexOf(kStory) > lastChoice ||
                                      promptKey.lastIndexOf(kCitizen) > lastChoice;
        if (firstChoice >= 0 && !openQuestionLast) {
            const qsizetype questionStart = promptKey.lastIndexOf(u"\n\n"_s, firstChoice);
            const QString backstory = questionStart > 0 ? promptKey.left(questionStart) : QString();
            const QString question = promptKey.mid(questionStart < 0 ? 0 : questionStart);
            int count = 0;
            for (auto it = choiceLine.globalMatch(question); it.hasNext();) {
                it.next();
                ++count;
            }
            count = qMax(2, count);
            if (question.contains(kNotMentioned)) {
                const bool notMentioned = hashOf(u"mentioned|"_s + backstory + question) %
                                              quint32(qMax(1, options.notMentionedOneIn)) ==
                                          0;
                const int letter = notMentioned ? count - 1 : scriptedChoice(backstory, question, count - 1);
                return words(u"The text says so. (%1)"_s.arg(QChar(u'A' + letter)));
            }
            const bool noncompliant = hashOf(u"nc|"_s + seedText + u'|' + QString::number(sampleIndex)) %
                                          quint32(qMax(1, options.noncompliantOneIn)) ==
                                      0;
            if (noncompliant)
                return words(u"hard to say"_s);
            return QStringList{u" ("_s, QString(QChar(u'A' + scriptedChoice(backstory, question, count))),
                               u")"_s};
        }
        const qsizetype citizen = promptKey.lastIndexOf(kCitizen);
        const qsizetype story = promptKey.lastIndexOf(kStory);
        if (citizen >= 0 && citizen > story) {
            const bool no = hashOf(u"citizen/"_s + seedText + u'/' + QString::number(sampleIndex)) %
                                quint32(qMax(1, options.noOneIn)) ==
                            0;
            return QStringList{no ? u" No"_s : u" Yes"_s};
        }
        if (story >= 0) {
            const quint32 h = hashOf(u"story/"_s + seedText + u'/' + QString::number(sampleIndex));
            const int length = seed && scriptedStoryIsShort(*seed, options) ? 20 : 60 + int(h % 40);
            QStringList tokens = words(u"I am persona %1."_s.arg(h, 8, 16, QChar(u'0')));
            static const QStringList filler = words(
                u"I grew up near the river and my family ran a small shop where I learned to count change "
                "and listen to people talk about their lives every single day"_s);
            for (int i = 0; tokens.size() < length; ++i)
                tokens.append(filler[i % filler.size()]);
            return tokens;
        }
        return std::nullopt;
    };
}

} // namespace anthology::test
