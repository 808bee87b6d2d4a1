// Builds the in-series ATP prompts of 10,000 personas x 20 questions (backstories of about
// 1,500 characters, each answer fed back as a fixed short string), as a run would before
// sending them. Target: under 1 s in total. Usage: prompt_build [personas] [questions]
#include "prompt/AtpPromptBuilder.h"
#include "prompt/OptionOrder.h"
#include "prompt/SurveyConversation.h"
#include "survey/SurveyTypes.h"

#include <QString>
#include <QStringList>

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace anthology;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    const int personas = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int questionCount = argc > 2 ? std::atoi(argv[2]) : 20;

    QList<Question> questions;
    for (int q = 0; q < questionCount; ++q)
        questions << Question{
            u"Q%1_W99"_s.arg(q),
            u"How much do you agree with statement number %1 about everyday life in your town?"_s.arg(q),
            {u"Strongly agree"_s, u"Somewhat agree"_s, u"Somewhat disagree"_s, u"Strongly disagree"_s},
            true,
            {{0, 1, 2, 3}, {3, 2, 1, 0}}};
    QString story = u"Question: Tell me about yourself.\n\nAnswer:"_s;
    while (story.size() < 1500)
        story += u" I grew up in a river town, worked at the mill, raised two kids and I like fishing."_s;

    const AtpPromptBuilder builder(
        {u"Please answer the following question keeping in mind your previous answers."_s, true, true,
         false});
    const QString answer = u" (B) Somewhat agree"_s;

    const auto start = std::chrono::steady_clock::now();
    qint64 checksum = 0;
    qint64 prompts = 0;
    for (int p = 0; p < personas; ++p) {
        const QString persona = QString::number(p);
        SurveyConversation conversation(true);
        conversation.start(story);
        const QList<int> order = AtpPromptBuilder::questionOrder(questionCount, true, true, 42, persona);
        for (int i = 0; i < questionCount; ++i) {
            const Question &q = questions.at(order.at(i));
            const auto options = OptionOrder::draw(q, true, 42, persona);
            const QString &prompt =
                conversation.nextPrompt(builder.question(q.body, options->apply(q.choices), i));
            checksum += prompt.size();
            ++prompts;
            conversation.recordAnswer(answer);
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%lld prompts (%d personas x %d questions), %.1f M characters in total, built in %.3f s "
                "(%.2f us per prompt)\n",
                static_cast<long long>(prompts), personas, questionCount, double(checksum) / 1e6, seconds,
                seconds * 1e6 / double(prompts));
    return seconds < 1.0 ? 0 : 1;
}
