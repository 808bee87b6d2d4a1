#include "pipeline/DemographicResults.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "prompt/DemographicPromptBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology {

bool TraitDistribution::hasPreferNot() const
{
    return !choices.isEmpty() && choices.constLast().compare(DemographicPromptBuilder::preferNotToAnswer(),
                                                             Qt::CaseInsensitive) == 0;
}

QList<double> TraitDistribution::matchingVector() const
{
    QList<double> out = probabilities;
    if (!hasPreferNot())
        out.insert(out.size() - 1, 0.0);
    return out;
}

Result<TraitDistribution> DemographicResults::parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        return Error::user(u"the distribution is not a JSON object (%1)"_s.arg(error.errorString()));
    const QJsonObject o = doc.object();
    TraitDistribution d;
    d.source = o.value(u"source"_s).toString();
    for (const QJsonValue &v : o.value(u"choices"_s).toArray())
        d.choices.append(v.toString());
    for (const QJsonValue &v : o.value(u"counts"_s).toArray())
        d.counts.append(v.toInteger());
    for (const QJsonValue &v : o.value(u"probabilities"_s).toArray())
        d.probabilities.append(v.toDouble());
    if (d.choices.isEmpty())
        return Error::user(u"the distribution has no choices"_s).withKey(u"choices"_s);
    if (d.probabilities.size() != d.choices.size() + 1)
        return Error::user(u"expected %1 probabilities (the choices and a non-compliant bucket), got %2"_s
                               .arg(d.choices.size() + 1)
                               .arg(d.probabilities.size()))
            .withKey(u"probabilities"_s);
    if (!d.counts.isEmpty() && d.counts.size() != d.probabilities.size())
        return Error::user(u"expected %1 counts, got %2"_s.arg(d.probabilities.size()).arg(d.counts.size()))
            .withKey(u"counts"_s);
    for (double p : std::as_const(d.probabilities))
        if (!(p >= 0.0 && p <= 1.0 + 1e-9))
            return Error::user(u"a probability is outside [0, 1]: %1"_s.arg(p)).withKey(u"probabilities"_s);
    return d;
}

Result<DemographicResults> DemographicResults::load(const ProjectFile &project, qint64 runId)
{
    Statement run = project.prepare("SELECT kind FROM runs WHERE id = ?1");
    run.bind(1, runId);
    Result<bool> found = run.step();
    if (!found)
        return found.error();
    if (!*found)
        return Error::user(u"no run %1 in this project (see 'anthology run list')"_s.arg(runId));
    if (run.columnText(0) != u"demographics"_s)
        return Error::user(
                   u"run %1 is a '%2' run, not a demographics run"_s.arg(runId).arg(run.columnText(0)))
            .withKey(u"demographics_run"_s);

    DemographicResults out;
    out.m_runId = runId;
    Statement s =
        project.prepare("SELECT id, persona, persona_revision, question, logprobs FROM items "
                        "WHERE run_id = ?1 AND sample = 0 AND state = 'done' AND logprobs IS NOT NULL "
                        "ORDER BY id");
    s.bind(1, runId);
    Status read = s.forEachRow([&](const Statement &row) -> Status {
        const QString uid = row.columnText(1);
        const QString trait = row.columnText(3);
        Result<TraitDistribution> d = parse(row.columnUtf8(4));
        if (!d)
            return Error::user(u"run %1, item %2 (persona '%3', trait '%4'): %5"_s.arg(runId)
                                   .arg(row.columnInt64(0))
                                   .arg(uid, trait, d.error().message));
        auto it = out.m_index.constFind(uid);
        if (it == out.m_index.constEnd()) {
            it = out.m_index.insert(uid, out.m_personas.size());
            out.m_personas.append(PersonaDemographics{uid, row.columnInt(2), {}});
        }
        out.m_personas[*it].traits.insert(trait, *d);
        return {};
    });
    if (!read)
        return read.error();
    return out;
}

const PersonaDemographics *DemographicResults::persona(const QString &uid) const
{
    const auto it = m_index.constFind(uid);
    return it == m_index.constEnd() ? nullptr : &m_personas[*it];
}

const TraitDistribution *DemographicResults::distribution(const QString &uid, const QString &trait) const
{
    const PersonaDemographics *p = persona(uid);
    if (!p)
        return nullptr;
    const auto it = p->traits.constFind(trait);
    return it == p->traits.constEnd() ? nullptr : &*it;
}

QStringList DemographicResults::commonTraits() const
{
    if (m_personas.isEmpty())
        return {};
    QStringList out;
    for (auto it = m_personas.first().traits.cbegin(); it != m_personas.first().traits.cend(); ++it) {
        bool everywhere = true;
        for (const PersonaDemographics &p : m_personas)
            everywhere = everywhere && p.traits.contains(it.key());
        if (everywhere)
            out.append(it.key());
    }
    out.sort();
    return out;
}

} // namespace anthology
