#include "ComposerForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

QString tooltipFor(const ConfigComposition::Key &key)
{
    QStringList lines{u"<b>%1</b>"_s.arg(key.key.toHtmlEscaped())};
    if (!key.comment.isEmpty())
        lines.append(key.comment.toHtmlEscaped());
    const QString def = ConfigComposition::overrideText(key.defaultValue);
    lines.append(QObject::tr("Default: %1").arg(def.isEmpty() ? QObject::tr("(empty)") : def.toHtmlEscaped()));
    if (!key.source.isEmpty())
        lines.append(QObject::tr("From %1").arg(key.source.toHtmlEscaped()));
    return lines.join(u"<br>"_s);
}

QStringList listFromText(const QString &text)
{
    QString t = text.trimmed();
    if (t.startsWith(u'[') && t.endsWith(u']'))
        t = t.mid(1, t.size() - 2);
    QStringList out;
    for (const QString &part : t.split(u',', Qt::SkipEmptyParts))
        out.append(part.trimmed());
    return out;
}

} // namespace

ComposerForm::ComposerForm(ConfigComposition *composition, QWidget *parent)
    : QWidget(parent), m_composition(composition)
{
    setObjectName(u"composerForm"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
}

QFormLayout *ComposerForm::section(QVBoxLayout *layout, const QString &title)
{
    auto *box = new QGroupBox(title, m_content);
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setContentsMargins(8, 6, 8, 6);
    form->setVerticalSpacing(3);
    layout->addWidget(box);
    return form;
}

void ComposerForm::rebuild()
{
    delete m_content;
    m_editors.clear();
    m_errors.clear();
    m_content = new QWidget(this);
    auto *layout = new QVBoxLayout(m_content);
    layout->setContentsMargins(0, 0, 0, 0);
    m_loadError = new QLabel(m_content);
    m_loadError->setObjectName(u"composerLoadError"_s);
    m_loadError->setWordWrap(true);
    m_loadError->setStyleSheet(u"color:#b71c1c"_s);
    m_loadError->hide();
    layout->addWidget(m_loadError);
    addGroups(layout);
    addKeys(layout);
    layout->addStretch(1);
    static_cast<QVBoxLayout *>(this->layout())->addWidget(m_content);
}

void ComposerForm::addGroups(QVBoxLayout *layout)
{
    Result<QList<ConfigComposition::Group>> groups = m_composition->groups();
    if (!groups) {
        m_loadError->setText(groups.error().toString());
        m_loadError->show();
        return;
    }
    if (groups->isEmpty())
        return;
    QFormLayout *form = section(layout, tr("Config groups"));
    for (const ConfigComposition::Group &g : std::as_const(*groups)) {
        auto *combo = new QComboBox(m_content);
        combo->setObjectName(u"group:"_s + g.group);
        combo->addItems(g.options);
        if (!g.options.contains(g.option))
            combo->addItem(g.option);
        combo->setCurrentText(g.option);
        combo->setToolTip(tr("<b>%1</b><br>Default: %2").arg(g.group.toHtmlEscaped(), g.defaultOption.toHtmlEscaped()));
        const QString group = g.group;
        const QString defaultOption = g.defaultOption;
        connect(combo, &QComboBox::currentTextChanged, this, [this, group, defaultOption](const QString &option) {
            if (option == defaultOption)
                m_composition->removeOverride(group);
            else
                m_composition->setOverride(group, option);
            emit groupsChanged();
        });
        form->addRow(g.group + u':', withErrorLine(g.group, combo));
    }
}

QWidget *ComposerForm::withErrorLine(const QString &key, QWidget *editor)
{
    auto *error = new QLabel(m_content);
    error->setObjectName(u"error:"_s + key);
    error->setStyleSheet(u"color:#b71c1c"_s);
    error->setWordWrap(true);
    error->hide();
    auto *cell = new QWidget(m_content);
    auto *v = new QVBoxLayout(cell);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(0);
    v->addWidget(editor);
    v->addWidget(error);
    m_editors.insert(key, editor);
    m_errors.insert(key, error);
    return cell;
}

void ComposerForm::addKeys(QVBoxLayout *layout)
{
    Result<QList<ConfigComposition::Key>> keys = m_composition->keys();
    if (!keys) {
        m_loadError->setText(keys.error().toString());
        m_loadError->show();
        return;
    }
    QHash<QString, QFormLayout *> sections;
    QFormLayout *top = nullptr;
    for (const ConfigComposition::Key &key : std::as_const(*keys)) {
        const qsizetype dot = key.key.indexOf(u'.');
        QFormLayout *form = nullptr;
        QString label = key.key;
        if (dot < 0) {
            if (!top)
                top = section(layout, tr("Run"));
            form = top;
        } else {
            const QString head = key.key.left(dot);
            form = sections.value(head);
            if (!form) {
                form = section(layout, head);
                sections.insert(head, form);
            }
            label = key.key.mid(dot + 1);
        }
        QWidget *editor = makeEditor(key);
        editor->setObjectName(u"key:"_s + key.key);
        editor->setToolTip(tooltipFor(key));
        QWidget *cell = withErrorLine(key.key, editor);
        auto *name = new QLabel(label + u':', m_content);
        name->setToolTip(editor->toolTip());
        if (key.overridden)
            name->setStyleSheet(u"font-weight:bold"_s);
        form->addRow(name, cell);
    }
}

QWidget *ComposerForm::makeEditor(const ConfigComposition::Key &key)
{
    using Type = ConfigComposition::Key::Type;
    switch (key.type) {
    case Type::Bool: {
        auto *box = new QCheckBox(m_content);
        box->setChecked(key.value.toBool());
        connect(box, &QCheckBox::toggled, this, [this, key](bool on) { setValue(key, on); });
        return box;
    }
    case Type::Int: {
        auto *spin = new QSpinBox(m_content);
        spin->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
        spin->setValue(key.value.toInt());
        spin->setKeyboardTracking(true);
        connect(spin, &QSpinBox::valueChanged, this, [this, key](int v) { setValue(key, v); });
        return spin;
    }
    case Type::Double: {
        auto *spin = new QDoubleSpinBox(m_content);
        spin->setDecimals(3);
        spin->setRange(-1e9, 1e9);
        spin->setSingleStep(0.1);
        spin->setValue(key.value.toDouble());
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, key](double v) { setValue(key, v); });
        return spin;
    }
    case Type::List: {
        auto *edit = new QLineEdit(ConfigComposition::overrideText(key.value), m_content);
        connect(edit, &QLineEdit::textEdited, this,
                [this, key](const QString &text) { setValue(key, listFromText(text)); });
        return edit;
    }
    case Type::String:
        break;
    }
    auto *edit = new QLineEdit(key.value.toString(), m_content);
    edit->setPlaceholderText(key.defaultValue.toString().isEmpty() ? tr("(empty)") : QString());
    connect(edit, &QLineEdit::textEdited, this, [this, key](const QString &text) { setValue(key, text); });
    return edit;
}

void ComposerForm::setValue(const ConfigComposition::Key &key, const QVariant &value)
{
    const bool isDefault = key.type == ConfigComposition::Key::Type::Double
                               ? qFuzzyCompare(1.0 + value.toDouble(), 1.0 + key.defaultValue.toDouble())
                               : value == key.defaultValue;
    if (isDefault)
        m_composition->removeOverride(key.key);
    else
        m_composition->setOverride(key.key, ConfigComposition::overrideText(value));
    emit edited();
}

void ComposerForm::clearErrors()
{
    for (QLabel *label : std::as_const(m_errors)) {
        label->clear();
        label->hide();
    }
    for (QWidget *editor : std::as_const(m_editors))
        editor->setStyleSheet({});
}

bool ComposerForm::showError(const QString &key, const QString &message)
{
    // A message about questionnaire.example.questions.Q1 belongs to the nearest field above it.
    // A group's own keys (questionnaire.example.questions) belong to its chooser (questionnaire/example).
    QString k = key;
    while (!k.isEmpty() && !m_errors.contains(k) && !m_errors.contains(QString(k).replace(u'.', u'/')))
        k = k.contains(u'.') ? k.left(k.lastIndexOf(u'.')) : QString();
    if (k.isEmpty())
        return false;
    if (!m_errors.contains(k))
        k.replace(u'.', u'/');
    QLabel *label = m_errors.value(k);
    label->setText(message);
    label->show();
    m_editors.value(k)->setStyleSheet(u"border:1px solid #c62828"_s);
    return true;
}

} // namespace anthology::ui
