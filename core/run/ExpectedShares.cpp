#include "run/ExpectedShares.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

const char *const finalDistributions =
    "SELECT i.question, i.logprobs FROM items i WHERE i.run_id = ?1 AND i.base_sample = ?2 AND "
    "i.state = 'done' AND i.logprobs IS NOT NULL AND i.reask = (SELECT max(j.reask) FROM items j "
    "WHERE j.run_id = i.run_id AND j.persona = i.persona AND j.question = i.question AND "
    "j.base_sample = i.base_sample)";

} // namespace

Result<QHash<QString, ExpectedDistribution>> ExpectedShares::load(const ProjectFile &project, qint64 runId,
                                                                 int sample)
{
    Statement s = project.prepare(finalDistributions);
    s.bind(1, runId).bind(2, sample);
    QHash<QString, ExpectedDistribution> sums;
    Status read = s.forEachRow([&](const Statement &row) -> Status {
        const QJsonArray p =
            QJsonDocument::fromJson(row.columnUtf8(1)).object().value(u"probabilities"_s).toArray();
        double total = 0.0;
        for (const QJsonValue &v : p)
            total += v.toDouble();
        // A demographics distribution (no "probabilities" over options) or an empty one.
        if (p.isEmpty() || !(total > 0.0))
            return {};
        ExpectedDistribution &d = sums[row.columnText(0)];
        if (d.shares.empty())
            d.shares.assign(size_t(p.size()), 0.0);
        if (d.shares.size() != size_t(p.size()))
            return Error::user(u"run %1, question %2: stored distributions disagree on the number of "
                               "options (%3 and %4)"_s.arg(runId)
                                   .arg(row.columnText(0))
                                   .arg(d.shares.size())
                                   .arg(p.size()));
        for (qsizetype k = 0; k < p.size(); ++k)
            d.shares[size_t(k)] += p[k].toDouble() / total;
        ++d.personas;
        return {};
    });
    if (!read)
        return read.error();
    for (ExpectedDistribution &d : sums)
        for (double &v : d.shares)
            v /= double(d.personas);
    return sums;
}

} // namespace anthology
