#pragma once

#include "survey/SurveyTypes.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace anthology {

enum class PrefixStyle { Qa, QaFreeform, Bio, Portray };

// One trait of one human respondent: the trait's question and the index of the answer in
// trait.choices; a negative or out-of-range index, or "Prefer not to answer", is refused.
struct TraitAnswer
{
    DemographicQuestion trait;
    int choiceIndex = -1;
};

// Demographic prefixes of METHOD.md section 3, shared by the demographics-primed
// backstories (DP), the baselines and trait appending after matching (section 7).
//
// Decisions where METHOD.md leaves the detail open:
// - qa lists the trait's choices without "Prefer not to answer" (refused answers are
//   skipped, so that option is never the answer shown) in "(A) text" lines.
// - bio: each trait gives " " + sentence. The sentence is trait.bioTemplate with "{label}"
//   replaced by the label and "{label_lower}" by the lowercased label; with no template it
//   is "My {topic, lowercased} is {label}." ("My age is 30-49.").
// - portray / bio topics: trait.topic, or else derived from the key: a trailing
//   "_category_<n>" dropped, underscores as spaces, first letter capitalized
//   ("income_level_category_13" -> "Income level").
// - After matching, the traits follow backstory.strip() + "\n\n", and the whole is
//   stripped (so qa's trailing blank line goes); qa has no intro line there, and bio is
//   introduced by "Question: Please provide a demographic information of yourself.\n\nAnswer:".
class DemographicPrefixBuilder
{
public:
    explicit DemographicPrefixBuilder(PrefixStyle style);

    // qa, qa_freeform, bio, portray (the config's prompt_style); nullopt for anything else.
    static std::optional<PrefixStyle> styleNamed(const QString &name);
    static bool isRefused(const TraitAnswer &answer);
    // The respondent's traits in a seeded order: SeededRandom::derive(seed, "traits/<respondentKey>").
    static QList<TraitAnswer> shuffled(QList<TraitAnswer> answers, std::uint64_t seed,
                                       const QString &respondentKey);
    static QString topicOf(const DemographicQuestion &trait);
    static QString bioSentence(const DemographicQuestion &trait, const QString &label);

    // The text one trait contributes (empty when refused).
    QString traitText(const TraitAnswer &answer) const;
    // The DP prefix, traits in the given order, refused ones skipped; it ends as the style
    // ends (qa and qa_freeform with "\n\n", portray with "\n", bio after the last sentence).
    QString prefix(const QList<TraitAnswer> &answers) const;
    // Trait appending after matching (qa_mcq, qa_freeform, bio; portray is accepted too).
    QString appendToBackstory(const QString &backstory, const QList<TraitAnswer> &answers) const;

private:
    QString traitsText(const QList<TraitAnswer> &answers) const;

    PrefixStyle m_style;
};

} // namespace anthology
