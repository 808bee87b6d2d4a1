#include "pipeline/StudyDefinition.h"

#include "config/ResolvedConfig.h"

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QStringList stringList(const ResolvedConfig &config, const QString &key)
{
    QStringList out;
    for (const QString &v : config.value(key).toStringList())
        if (!v.trimmed().isEmpty())
            out.append(v.trimmed());
    return out;
}

Result<qint64> wholeNumber(const ResolvedConfig &config, const QString &key, qint64 fallback, qint64 minimum)
{
    const QVariant v = config.value(key);
    if (!v.isValid() || v.toString().isEmpty())
        return fallback;
    bool ok = false;
    const qint64 n = v.toString().toLongLong(&ok);
    if (!ok || n < minimum)
        return Error::user(u"%1 must be a whole number >= %2, got '%3'"_s.arg(key).arg(minimum).arg(v.toString()))
            .withKey(key);
    return n;
}

} // namespace

QStringList StudyDefinition::allRuns()
{
    QStringList runs{u"QA"_s, u"BIO"_s, u"DP_QA"_s, u"DP_PORTRAY"_s, u"DP_BIO"_s};
    for (const QString &method : {u"greedy"_s, u"maximum_weight"_s})
        for (const QString &style : {u"QA_MCQ"_s, u"QA_FREEFORM"_s, u"BIO"_s})
            runs.append(u"NA_"_s + method + u'_' + style);
    return runs;
}

Result<StudyRunSpec> StudyDefinition::spec(const QString &label)
{
    StudyRunSpec s;
    s.label = label;
    if (label == u"QA"_s || label == u"BIO"_s) {
        s.kind = StudyRunSpec::Kind::Baseline;
        s.style = label.toLower();
        return s;
    }
    if (label.startsWith(u"DP_"_s)) {
        s.kind = StudyRunSpec::Kind::Primed;
        s.style = label.mid(3).toLower();
        if (s.style == u"qa"_s || s.style == u"bio"_s || s.style == u"portray"_s)
            return s;
    }
    for (const QString &method : {u"greedy"_s, u"maximum_weight"_s}) {
        const QString prefix = u"NA_"_s + method + u'_';
        if (!label.startsWith(prefix))
            continue;
        s.kind = StudyRunSpec::Kind::Natural;
        s.method = method;
        s.style = label.mid(prefix.size()).toLower();
        if (s.style == u"qa_mcq"_s || s.style == u"qa_freeform"_s || s.style == u"bio"_s)
            return s;
    }
    return Error::user(u"unknown study run '%1' (expected one of %2)"_s.arg(label, allRuns().join(u", "_s)))
        .withKey(u"runs"_s);
}

Result<StudySettings> StudyDefinition::fromConfig(const ResolvedConfig &config)
{
    StudySettings s;
    s.name = config.value(u"name"_s, s.name).toString().trimmed();
    if (s.name.isEmpty())
        return Error::user(u"name must not be empty"_s).withKey(u"name"_s);
    s.dataset = config.value(u"dataset"_s).toString().trimmed();
    if (s.dataset.isEmpty())
        return Error::user(u"dataset is required: the name of a data set in the project "
                           "(see 'anthology data list')"_s)
            .withKey(u"dataset"_s);
    s.questions = stringList(config, u"questions"_s);
    if (s.questions.isEmpty())
        return Error::user(u"questions is required: the data set's variables to ask, e.g. "
                           "questions=[Q1_W99,Q2_W99]"_s)
            .withKey(u"questions"_s);
    s.runs = stringList(config, u"runs"_s);
    if (s.runs.isEmpty())
        s.runs = allRuns();
    for (const QString &label : std::as_const(s.runs))
        if (Result<StudyRunSpec> spec = StudyDefinition::spec(label); !spec)
            return spec.error();
    if (s.runs.removeDuplicates() > 0)
        return Error::user(u"runs lists a run twice"_s).withKey(u"runs"_s);
    Result<qint64> users = wholeNumber(config, u"num_users"_s, -1, -1);
    if (!users)
        return users.error();
    s.numUsers = int(*users);
    Result<qint64> natural = wholeNumber(config, u"natural_backstories"_s, 0, 0);
    if (!natural)
        return natural.error();
    s.naturalBackstories = int(*natural);
    s.traits = stringList(config, u"traits"_s);
    Result<qint64> seed = wholeNumber(config, u"seed"_s, 42, 0);
    if (!seed)
        return seed.error();
    s.seed = *seed;
    s.metric = config.value(u"metric"_s, s.metric).toString().trimmed().toLower();
    if (s.metric != u"emd"_s && s.metric != u"tv"_s)
        return Error::user(u"metric must be emd or tv, got '%1'"_s.arg(s.metric)).withKey(u"metric"_s);
    s.subgroup = config.value(u"subgroup"_s).toString().trimmed();
    for (auto [key, field] : {std::pair{u"survey_config"_s, &s.surveyConfig},
                              std::pair{u"demographics_config"_s, &s.demographicsConfig},
                              std::pair{u"generate_config"_s, &s.generateConfig}}) {
        const QString v = config.value(key).toString().trimmed();
        if (!v.isEmpty())
            *field = v;
    }
    return s;
}

QString StudyDefinition::nameOf(const StudySettings &settings, const QString &what)
{
    return settings.name + u'/' + what;
}

} // namespace anthology
