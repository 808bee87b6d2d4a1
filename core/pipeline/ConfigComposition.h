#pragma once

#include "config/ResolvedConfig.h"
#include "pipeline/StepCatalog.h"
#include "util/Result.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace anthology {

// A step's config as a user composes it: the step, the config folders, the primary config,
// the Hydra group choices and key overrides, and the step's own key=value arguments. It turns
// into the `anthology` arguments that run it, back again, and into one YAML file in the
// reference layout that resolves to the same values. The keys it offers for editing are the
// config's own (every scalar of the resolved tree, its default, type, source and comment), so
// no list of fields lives anywhere else.
class ConfigComposition
{
public:
    struct Group
    {
        QString group;  // e.g. "format/mcq_symbol", "llm_parameters", "questionnaire/example"
        QString option; // the chosen option
        QString defaultOption;
        QStringList options; // every option the config folders offer, sorted
    };

    struct Key
    {
        enum class Type { Bool, Int, Double, String, List };
        QString key; // dotted
        Type type = Type::String;
        QVariant value;
        QVariant defaultValue; // what the config gives before this composition's overrides
        QString source;        // file:line of the default
        QString comment;       // the YAML comment beside or above the default
        bool overridden = false;
    };

    explicit ConfigComposition(StepKind kind = StepKind::SurveyAtp);

    StepKind kind() const { return m_kind; }
    const StepSpec &spec() const { return StepCatalog::spec(m_kind); }
    void setKind(StepKind kind); // resets the config name to the step's default

    const QStringList &configDirs() const { return m_configDirs; }
    void setConfigDirs(const QStringList &dirs) { m_configDirs = dirs; }
    const QString &configName() const { return m_configName; }
    void setConfigName(const QString &name) { m_configName = name; }

    // Overrides in order: "key" -> "value" (a group choice has a group key: format/mcq_symbol).
    const QList<QPair<QString, QString>> &overrides() const { return m_overrides; }
    QString overrideValue(const QString &key) const;
    bool hasOverride(const QString &key) const;
    void setOverride(const QString &key, const QString &value);
    void removeOverride(const QString &key);
    void clearOverrides() { m_overrides.clear(); }

    const QList<QPair<QString, QString>> &stepValues() const { return m_stepValues; }
    QString stepValue(const QString &key) const;
    void setStepValue(const QString &key, const QString &value); // empty removes

    // The arguments after the program name, e.g. {"survey", "atp", "survey_config",
    // "--config-dir", "/abs/dir", "personas=na_max/qa_mcq", "llm_parameters.temperature=0.7"}.
    QStringList arguments() const;
    static Result<ConfigComposition> fromArguments(const QStringList &arguments);
    // As a shell would take it (quoted where needed), after `anthology`.
    static QString commandLine(const QStringList &arguments);

    Result<ResolvedConfig> resolve() const;
    // The defaults list's groups with their options (after the group choices).
    Result<QList<Group>> groups() const;
    // Every editable key: scalars and scalar lists of the resolved config, outside `hydra` and
    // the questionnaire's questions/traits.
    Result<QList<Key>> keys() const;
    // The value as an override argument writes it (true/false, numbers, [a, b], text).
    static QString overrideText(const QVariant &value);

    // One YAML file in the reference layout: the defaults list with the group choices, then
    // the primary config's own keys with the overrides merged in.
    Result<QString> toYaml() const;
    // Writes toYaml() to DIR/NAME.yaml; the composition then names that config in DIR.
    Status save(const QString &dir, const QString &name);
    // A config file composed earlier: its folder goes first in the search path.
    static Result<ConfigComposition> load(StepKind kind, const QString &file, const QStringList &configDirs);

private:
    Result<QString> primaryFile() const;
    Result<ConfigNode> primaryNode() const; // the primary config file as written
    QStringList groupNames() const;   // the groups of the primary config's defaults list
    QStringList keyOverrides() const; // the overrides that are not group choices, as arguments

    StepKind m_kind;
    QStringList m_configDirs;
    QString m_configName;
    QList<QPair<QString, QString>> m_overrides;
    QList<QPair<QString, QString>> m_stepValues;
};

} // namespace anthology
