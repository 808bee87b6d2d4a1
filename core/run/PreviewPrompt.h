#pragma once

#include "run/SurveyChain.h"

#include <QList>
#include <QString>

namespace anthology {

// One prompt of a persona's pass as a run sends it (PromptPreview, `prompt preview`).
struct PreviewPrompt
{
    QString key; // question id, trait key, or a generate run's item (preamble, story)
    PromptText text;
    QList<int> optionOrder; // shown -> original, for opinion questions
};

} // namespace anthology
