#include "run/RunStatus.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr std::array<std::pair<RunStatus, const char *>, 7> kStatuses{{
    {RunStatus::Planned, "planned"},
    {RunStatus::Running, "running"},
    {RunStatus::Paused, "paused"},
    {RunStatus::Cancelled, "cancelled"},
    {RunStatus::Completed, "completed"},
    {RunStatus::Incomplete, "incomplete"},
    {RunStatus::Interrupted, "interrupted"},
}};

constexpr std::array<std::pair<RunKind, const char *>, 4> kKinds{{
    {RunKind::Survey, "survey"},
    {RunKind::Generate, "generate"},
    {RunKind::Demographics, "demographics"},
    {RunKind::DemographicsParser, "demographics_parser"},
}};

} // namespace

QString runStatusName(RunStatus status)
{
    for (const auto &[value, name] : kStatuses)
        if (value == status)
            return QString::fromLatin1(name);
    return {};
}

std::optional<RunStatus> runStatusFromName(const QString &name)
{
    for (const auto &[value, text] : kStatuses)
        if (name == QLatin1StringView(text))
            return value;
    return std::nullopt;
}

QString runKindName(RunKind kind)
{
    for (const auto &[value, name] : kKinds)
        if (value == kind)
            return QString::fromLatin1(name);
    return {};
}

std::optional<RunKind> runKindFromName(const QString &name)
{
    if (name.isEmpty())
        return RunKind::Survey;
    for (const auto &[value, text] : kKinds)
        if (name == QLatin1StringView(text))
            return value;
    return std::nullopt;
}

bool isResumable(RunStatus status)
{
    return status != RunStatus::Completed;
}

} // namespace anthology
