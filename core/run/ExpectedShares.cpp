#include "run/ExpectedShares.h"

#include "run/FinalAnswerQuery.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology {

Result<QHash<QString, ExpectedDistribution>> ExpectedShares::load(const ProjectFile &project, qint64 runId,
                                                                 int sample)
{
    ExpectedShares shares(runId);
    const Status read = FinalAnswerQuery(project, runId, sample, FinalAnswerQuery::Logprobs::Read)
                            .forEach([&shares](const FinalItem &item) { return shares.add(item); });
    if (!read)
        return read.error();
    return std::move(shares).means();
}

Status ExpectedShares::add(const FinalItem &item)
{
    if (!item.done || item.logprobs.isEmpty())
        return {};
    const QJsonArray p = QJsonDocument::fromJson(item.logprobs).object().value(u"probabilities"_s).toArray();
    double total = 0.0;
    for (const QJsonValue &v : p)
        total += v.toDouble();
    // A demographics distribution (no "probabilities" over options) or an empty one.
    if (p.isEmpty() || !(total > 0.0))
        return {};
    ExpectedDistribution &d = m_sums[item.question];
    if (d.shares.empty())
        d.shares.assign(size_t(p.size()), 0.0);
    if (d.shares.size() != size_t(p.size()))
        return Error::user(u"run %1, question %2: stored distributions disagree on the number of "
                           "options (%3 and %4)"_s.arg(m_runId)
                               .arg(item.question)
                               .arg(d.shares.size())
                               .arg(p.size()));
    for (qsizetype k = 0; k < p.size(); ++k)
        d.shares[size_t(k)] += p[k].toDouble() / total;
    ++d.personas;
    return {};
}

QHash<QString, ExpectedDistribution> ExpectedShares::means() &&
{
    for (ExpectedDistribution &d : m_sums)
        for (double &v : d.shares)
            v /= double(d.personas);
    return std::move(m_sums);
}

} // namespace anthology
