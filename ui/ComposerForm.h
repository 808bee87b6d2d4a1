#pragma once

#include "pipeline/ConfigComposition.h"

#include <QHash>
#include <QWidget>

class QFormLayout;
class QLabel;
class QVBoxLayout;

namespace anthology::ui {

// The options column of the composer: a chooser per Hydra group of the config's defaults
// list and a typed editor per key of the resolved config (ConfigComposition::keys), each with
// its default, source and comment as tooltip and an inline error line under it. Editing
// writes overrides into the composition; nothing here knows a key by name.
class ComposerForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComposerForm)

public:
    explicit ComposerForm(ConfigComposition *composition, QWidget *parent = nullptr);

    // Rebuilds every chooser and editor from the composition (a new step, config or group).
    void rebuild();
    // Shows `message` under the editor of `key` (a dotted key or a group); false when the
    // form has no such field. Empty clears every field's error.
    bool showError(const QString &key, const QString &message);
    void clearErrors();
    QWidget *editor(const QString &key) const { return m_editors.value(key); }

Q_SIGNALS:
    void edited();        // a key's value changed
    void groupsChanged(); // a group choice changed: the keys may differ now

private:
    void addGroups(QVBoxLayout *layout);
    void addKeys(QVBoxLayout *layout);
    QWidget *makeEditor(const ConfigComposition::Key &key);
    void setValue(const ConfigComposition::Key &key, const QVariant &value);
    QFormLayout *section(QVBoxLayout *layout, const QString &title);
    // The editor with its (hidden) error line under it, registered under `key`.
    QWidget *withErrorLine(const QString &key, QWidget *editor);

    ConfigComposition *m_composition;
    QWidget *m_content = nullptr;
    QHash<QString, QWidget *> m_editors;
    QHash<QString, QLabel *> m_errors;
    QLabel *m_loadError = nullptr;
};

} // namespace anthology::ui
