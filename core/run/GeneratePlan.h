#pragma once

#include "survey/SurveyTypes.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace anthology {

// One story of a demographics-primed (DP) generation: the human respondent it is primed with.
struct PrimedStory
{
    QString qkey;
    double weight = 1.0;
    QString prefix; // DemographicPrefixBuilder::prefix of the respondent's traits
};

// A "generate" run (METHOD.md section 3), stored with the run as JSON. Each story is one
// chain keyed "story-NNNNN": with a preamble, position 0 asks the citizenship question
// (re-asked until the answer says yes, at most maxPreambleAttempts times in all) and
// position 1 the story; without one, the story is the only item and its request is stored
// at plan time. DP stories start with their respondent's demographic prefix.
struct GeneratePlan
{
    static constexpr const char *kind = "generate";
    static QString preambleItem() { return QStringLiteral("preamble"); }
    static QString storyItem() { return QStringLiteral("story"); }
    static QString storyKey(int index);

    QString name;
    RoleFormat roles;
    QString preambleQuestion; // empty: no citizenship preamble
    QString backstoryQuestion;
    int count = 0;     // natural stories; DP: one per primed story
    LlmParameters llm; // story sampling; the preamble uses max_tokens 100 and stop ["\n", S]
    int seed = 42;
    int numProcesses = 0; // num_processes: requests in flight when driven (0: not configured)
    int maxPreambleAttempts = 10;
    bool freshSamples = false;
    QString promptStyle;       // empty: natural; qa, bio or portray: DP
    QString dataset;           // DP: the respondents' data set
    QList<PrimedStory> primed; // DP: story i is primed[i]

    bool hasPreamble() const { return !preambleQuestion.isEmpty() && primed.isEmpty(); }
    int storyCount() const { return primed.isEmpty() ? count : int(primed.size()); }

    // "{S}{C} {question}\n\n{R}{C}".
    QString turn(const QString &question) const;
    // The completion prompt of the story (after the preamble turn and its answer when there is one).
    QString storyPrompt(int index, const std::optional<QString> &preambleAnswer) const;
    // What the stored passage starts with: "{S}{C} {backstory question}\n\n{R}{C}".
    QString passageHead() const;

    QJsonObject toJson() const;
    static Result<GeneratePlan> fromJson(const QJsonObject &json);
};

} // namespace anthology
