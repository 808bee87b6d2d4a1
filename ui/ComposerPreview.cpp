#include "ComposerPreview.h"

#include "pipeline/PromptPreview.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

ComposerPreview::ComposerPreview(QWidget *parent)
    : QWidget(parent), m_persona(new QComboBox(this)), m_question(new QComboBox(this)), m_info(new QLabel(this)),
      m_text(new QPlainTextEdit(this))
{
    setObjectName(u"composerPreview"_s);
    m_persona->setObjectName(u"previewPersona"_s);
    m_question->setObjectName(u"previewQuestion"_s);
    m_text->setObjectName(u"previewText"_s);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_info->setObjectName(u"previewInfo"_s);
    m_info->setWordWrap(true);
    m_persona->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_question->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    auto *choosers = new QFormLayout;
    m_choosers = choosers;
    choosers->addRow(tr("Persona:"), m_persona);
    choosers->addRow(tr("Question:"), m_question);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(choosers);
    layout->addWidget(m_info);
    layout->addWidget(m_text, 1);
    setPersonas({});
    connect(m_persona, &QComboBox::currentIndexChanged, this, &ComposerPreview::personaChanged);
    connect(m_question, &QComboBox::currentIndexChanged, this, &ComposerPreview::showCurrent);
}

void ComposerPreview::setPersonas(const QStringList &uids)
{
    const QSignalBlocker block(m_persona);
    const QString current = persona();
    m_persona->clear();
    m_persona->addItem(tr("(empty passage)"), QString());
    for (const QString &uid : uids)
        m_persona->addItem(uid, uid);
    selectPersona(current);
}

QString ComposerPreview::persona() const
{
    return m_persona->currentData().toString();
}

bool ComposerPreview::selectPersona(const QString &uid)
{
    const int i = m_persona->findData(uid);
    if (i >= 0)
        m_persona->setCurrentIndex(i);
    return i >= 0;
}

void ComposerPreview::setPrompts(const QList<PreviewPrompt> &prompts)
{
    const QString current = question();
    m_prompts = prompts;
    {
        const QSignalBlocker block(m_question);
        m_question->clear();
        for (int i = 0; i < prompts.size(); ++i)
            m_question->addItem(u"%1. %2"_s.arg(i + 1).arg(prompts[i].key), prompts[i].key);
        const int keep = m_question->findData(current);
        m_question->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    showCurrent();
}

void ComposerPreview::setPersonaShown(bool shown)
{
    m_choosers->setRowVisible(m_persona, shown);
}

void ComposerPreview::showError(const QString &message)
{
    m_prompts.clear();
    m_info->setText(message);
    m_info->setStyleSheet(u"color:#b71c1c"_s);
    m_text->clear();
}

bool ComposerPreview::selectQuestion(const QString &key)
{
    const int i = m_question->findData(key);
    if (i >= 0)
        m_question->setCurrentIndex(i);
    return i >= 0;
}

QString ComposerPreview::question() const
{
    return m_question->currentData().toString();
}

QString ComposerPreview::text() const
{
    return m_text->toPlainText();
}

void ComposerPreview::showCurrent()
{
    const int i = m_question->currentIndex();
    m_info->setStyleSheet({});
    if (i < 0 || i >= m_prompts.size()) {
        m_info->clear();
        m_text->clear();
        return;
    }
    const PreviewPrompt &p = m_prompts[i];
    QStringList info{p.text.messages.isEmpty() ? tr("Completion prompt") : tr("Chat messages"),
                     tr("asked %1 of %2").arg(i + 1).arg(m_prompts.size())};
    if (!p.optionOrder.isEmpty()) {
        QStringList order;
        for (int o : p.optionOrder)
            order.append(QString::number(o));
        info.append(tr("option order %1").arg(order.join(u',')));
    }
    m_info->setText(info.join(u" · "_s));
    const QString text = PromptPreview::text(p);
    if (m_text->toPlainText() != text)
        m_text->setPlainText(text);
}

} // namespace anthology::ui
