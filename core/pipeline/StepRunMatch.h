#pragma once

#include "run/RunTypes.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace anthology {

class ProjectFile;

// One setting in which a stored run's config and a new one differ.
struct ConfigChange
{
    QString key;    // dotted, e.g. num_sample_response or llm.temperature
    QString before; // compact JSON of the stored value ("absent" when missing)
    QString after;
};

// Running a step again under a name finds the run of that name. Its stored plan is what it
// resumes, so a config that would plan other items must not quietly resume it: every step kind
// (generate, demographics, its parser, survey) comes through here. Settings that do not change
// an item (endpoint URLs and provider, in-flight and rate limits, timeouts, prices) may differ:
// the stored config takes them over and the resumed run uses them.
class StepRunMatch
{
public:
    // The differences between two plan configs that change items, in the stored config's key
    // order (then the new keys).
    static QList<ConfigChange> itemChanges(const QJsonObject &stored, const QJsonObject &wanted);
    // Whether a key (its last dotted part, or a top-level key) leaves the items unchanged.
    static bool changesNoItem(const QString &dottedKey);

    // The run of `kind` named `name`, to resume: nullopt when there is none (or `restart` removed
    // an unfinished one planned from another config); an error naming the differing keys
    // (old -> new) and the two ways on when its items would differ.
    // `rename` is how the step takes another name ("name=NEW", "--name NEW").
    static Result<std::optional<RunInfo>> find(ProjectFile &project, const QString &kind, const QString &name,
                                               const QJsonObject &wanted, bool restart,
                                               const QString &rename);
};

} // namespace anthology
