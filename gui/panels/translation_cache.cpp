// Translation cache (binary translation and emulation): a sortable, clipped
// table of every block address the monitor translated, and beside it the
// selected block's guest instructions with what the translation does with
// each — copied as is, rewritten into a callout to the monitor, or emulated.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "../elide.h"
#include "../colours.h"
#include "../guest_symbols.h"
#include "../layout.h"
#include "lesson/mechanisms.h"
#include "cpu-model/disassembler.h"
#include "mechanism_panels.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

using TranslationCacheView = TranslationCachePanelState;
using BlockRow = TranslationCachePanelState::BlockRow;
using InstructionFate = TranslationCachePanelState::InstructionFate;

// One column holds "rewritten/instructions" (2/9): six columns do not fit the 460-pixel slot readably.
enum Column { Address, Label, Rewritten, Hits, Translations, ColumnCount };

// The fate of one instruction of a block, by mode and instruction class.
InstructionFate fateOf(const disassembler::Line& line, bool emulation) {
    InstructionFate f{line, "copied", {}, false};
    if (!line.info) {
        f.tag = emulation ? "emulated" : "copied";
        f.why = "Not a valid instruction: running it raises an invalid-opcode fault, as on hardware.";
        return f;
    }
    const isa::InsnClass cls = line.info->cls;
    const bool sysret = line.info->opcode == isa::Opcode::Sysret;
    if (emulation) {
        f.tag = "emulated";
        f.rewritten = isa::isSensitive(cls) || sysret;
        f.why = f.rewritten ? "Emulated on the emulator's CPU, which has a ring 0 of its own: this " +
                                  std::string(isa::className(cls)) + " instruction behaves exactly as on hardware."
                            : "Emulated: the emulator carries out every instruction itself, one after another.";
        return f;
    }
    if (isa::isSensitive(cls) || sysret) {
        f.tag = "callout";
        f.rewritten = true;
        if (cls == isa::InsnClass::Privileged)
            f.why = "Privileged: in ring 1 it would fault. The translation calls the monitor, which emulates it on "
                    "the guest's virtual CPU.";
        else if (cls == isa::InsnClass::SensitiveUnprivileged)
            f.why = "Sensitive but unprivileged: in ring 1 it would run without a trap and silently do the wrong "
                    "thing (trap-and-emulate's flaw). The translation calls the monitor instead.";
        else
            f.why = "The privileged half of the system-call gate: the monitor performs the return to user code.";
        return f;
    }
    if (cls == isa::InsnClass::Hypercall)
        f.why = "Copied: an unmodified kernel has no monitor to call, so it raises an invalid-opcode fault.";
    else if (cls == isa::InsnClass::Gate)
        f.why = "Copied: the system-call gate traps as it does natively.";
    else
        f.why = "Ordinary: the same effect in every ring, so it runs as is.";
    if (line.info->endsBlock) f.why += " It ends the block: a direct jump chains straight to the next translated block.";
    return f;
}

// The bytes of the block from `offset` on, following it onto its second page.
void readBlockBytes(const PhysicalMemory& memory, const TranslatedBlock& block, uint32_t offset, uint8_t (&out)[8]) {
    for (uint32_t i = 0; i < 8; ++i) {
        const uint32_t at = block.physical + offset + i;
        const uint32_t pageEnd = (block.physical & isa::pte::FrameMask) + isa::kPageSize;
        const uint32_t physical = at < pageEnd || !block.secondPage ? at : block.secondPage + (at - pageEnd);
        out[i] = physical < memory.size() ? memory.read8(physical) : 0;
    }
}

void decodeBlock(TranslationCacheView& view, const PhysicalMemory& memory, const TranslatedBlock& block, bool emulation) {
    view.fates.clear();
    uint32_t offset = 0;
    for (uint32_t i = 0; i < block.instructions; ++i) {
        uint8_t bytes[8];
        readBlockBytes(memory, block, offset, bytes);
        const disassembler::Line line = disassembler::disassembleOne(bytes, block.guestPc + offset);
        view.fates.push_back(fateOf(line, emulation));
        offset += line.length;
    }
    view.fatesFor = block.physical;
    view.fatesTranslatedAt = block.translatedAtCycle;
}

void sortRows(TranslationCacheView& view, ImGuiTableSortSpecs* specs) {
    if (!specs || specs->SpecsCount == 0) return;
    const ImGuiTableColumnSortSpecs& s = specs->Specs[0];
    const bool ascending = s.SortDirection == ImGuiSortDirection_Ascending;
    auto key = [&](const BlockRow& r, const BlockRow& o) {
        switch (s.ColumnUserID) {
        case Label: return *r.label < *o.label;
        case Rewritten: return r.rewritten != o.rewritten ? r.rewritten < o.rewritten : r.instructions < o.instructions;
        case Hits: return r.hits < o.hits;
        case Translations: return r.translations < o.translations;
        default: return r.guestPc < o.guestPc;
        }
    };
    std::stable_sort(view.rows.begin(), view.rows.end(),
                     [&](const BlockRow& a, const BlockRow& b) { return ascending ? key(a, b) : key(b, a); });
}

void drawBlockDetail(Ui& ui, const TranslationCache& cache, bool emulation) {
    TranslationCacheView& view = ui.panels.translationCache;
    // Nothing selected: the newest translation, so there is always something to read.
    std::optional<uint32_t> shown = view.selected;
    if (!shown) {
        uint64_t newest = 0;
        for (const auto& [physical, block] : cache.blocks())
            if (!shown || block.translatedAtCycle >= newest) shown = physical, newest = block.translatedAtCycle;
    }
    if (!shown) {
        ImGui::TextWrapped("No block translated yet.");
        return;
    }
    const auto record = cache.records().find(*shown);
    const TranslatedBlock* block = cache.block(*shown);
    if (record == cache.records().end()) return;
    const BlockRecord& r = record->second;
    const std::string& label = view.labels[*shown];
    ImGui::TextWrapped("%s%s", view.selected ? "" : "newest: ", label.empty() ? "" : label.c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%08x %s", r.guestPc, label.c_str());
    if (!block) {
        ImGui::TextWrapped("Dropped: the guest wrote over its code (%u invalidation%s). It is translated again the "
                           "next time it runs.",
                           r.invalidations, r.invalidations == 1 ? "" : "s");
        return;
    }
    const unsigned long long hits = block->hits + r.droppedHits, lookups = block->lookups() + r.droppedLookups;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    if (emulation) ImGui::TextWrapped("%llu hits, %u sensitive", hits, block->rewritten);
    else ImGui::TextWrapped("%llu hits, %u callout%s", hits, block->rewritten, block->rewritten == 1 ? "" : "s");
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%llu hits: %llu found by a cache lookup, %llu reached by a chained jump\n"
                          "translated %u time%s, dropped %u time%s by writes over its code\n"
                          "guest %08x, host-physical %08x, %u bytes",
                          hits, lookups, hits - lookups, r.translations, r.translations == 1 ? "" : "s", r.invalidations,
                          r.invalidations == 1 ? "" : "s", r.guestPc, block->physical, block->bytes);
    if (view.fatesFor != block->physical || view.fatesTranslatedAt != block->translatedAtCycle)
        decodeBlock(view, ui.sim.session()->machine().memory, *block, emulation);
    const ImU32 highlight = IM_COL32(230, 120, 40, 70);
    const ImVec4 calloutColour(1.0f, 0.62f, 0.25f, 1.0f);
    // Under emulation every instruction has the same fate: one column, the whole width for the instruction.
    const int columns = emulation ? 1 : 2;
    if (ImGui::BeginTable("insns", columns, ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit)) {
        ImGui::PushFont(ui.fonts.mono);
        ImGui::TableSetupColumn("guest instruction", ImGuiTableColumnFlags_WidthStretch);
        if (!emulation) ImGui::TableSetupColumn("becomes", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("callout").x);
        for (size_t i = 0; i < view.fates.size(); ++i) {
            const InstructionFate& f = view.fates[i];
            ImGui::TableNextRow();
            if (f.rewritten) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, highlight);
            ImGui::TableNextColumn();
            ImGui::PushID(int(i));
            // The whole row explains itself on hover: the instruction, its class, and its fate.
            ImGui::Selectable("##fate", false, ImGuiSelectableFlags_SpanAllColumns);
            const bool hovered = ImGui::IsItemHovered();
            ImGui::PopID();
            ImGui::SameLine(0, 0);
            textElided(f.line.text);
            if (hovered || ImGui::IsItemHovered()) {
                ImGui::BeginTooltip();
                ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26);
                ImGui::Text("%08x  %s", f.line.address, f.line.text.c_str());
                if (f.line.info)
                    ImGui::TextDisabled("%s: %s", std::string(isa::className(f.line.info->cls)).c_str(),
                                        std::string(f.line.info->summary).c_str());
                ImGui::Text("%s: %s", f.tag, f.why.c_str());
                ImGui::PopTextWrapPos();
                ImGui::EndTooltip();
            }
            if (emulation) continue;
            ImGui::TableNextColumn();
            if (f.rewritten) ImGui::TextColored(calloutColour, "%s", f.tag);
            else ImGui::TextDisabled("%s", f.tag);
        }
        ImGui::PopFont();
        ImGui::EndTable();
    }
}

// Another view selected a translation event: select its block here.
void followSelection(Ui& ui, const TranslationCache& cache) {
    TranslationCacheView& view = ui.panels.translationCache;
    if (ui.selection.serial == view.selectionSeen) return;
    view.selectionSeen = ui.selection.serial;
    Session* session = ui.sim.session();
    if (!ui.selection.event || !session) return;
    const EventLog& log = session->machine().events;
    if (*ui.selection.event < log.firstRetained() || *ui.selection.event >= log.total()) return;
    const Event& e = log.at(*ui.selection.event);
    if (e.kind == EventKind::TranslationHit) {
        if (cache.records().count(e.detail)) view.selected = e.detail;
    } else if (e.kind == EventKind::Translation) {
        for (const auto& [physical, record] : cache.records())
            if (record.guestPc == e.detail) view.selected = physical;
    }
}

}  // namespace

void drawTranslationCachePanel(Ui& ui) {
    TranslationCacheView& view = ui.panels.translationCache;
    if (!beginMechanismPanel(ui, MechanismPanel::TranslationCache)) return;
    Session* session = ui.sim.session();
    const bool emulation = ui.sim.mode() == Mode::Emulation;
    const size_t vms = monitorCount(*session);
    if (view.vm >= int(vms)) view.vm = 0;
    const TranslationCache* cache = translationCacheOf(monitorOf(*session, size_t(view.vm)));
    if (!cache) {
        ImGui::TextDisabled("no translation cache");
        ImGui::End();
        return;
    }
    if (view.labelsFor != cache) {
        view.labels.clear();
        view.selected.reset();
        view.fatesFor = 0;
        view.fatesTranslatedAt = UINT64_MAX;
        view.labelsFor = cache;
    }
    followSelection(ui, *cache);

    // Totals, and what the "translation" is in this mode.
    uint64_t hits = 0;
    for (const auto& [physical, block] : cache->blocks()) hits += block.hits;
    for (const auto& [physical, record] : cache->records()) hits += record.droppedHits;
    ImGui::TextWrapped("%zu blocks  %llu translations  %llu hits  %llu invalidations", cache->blocks().size(),
                       static_cast<unsigned long long>(cache->translations()), static_cast<unsigned long long>(hits),
                       static_cast<unsigned long long>(cache->invalidations()));
    sameLineIfFits(ImGui::CalcTextSize("(?)").x);
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
        if (emulation)
            ImGui::TextUnformatted(
                "Emulation: every instruction, user and kernel, is carried out by the emulator, never by the CPU "
                "directly. A block is decoded once, the first time it runs (a translation); later runs find the "
                "decoding in the cache (a hit) but each instruction is still emulated. Writing over code drops "
                "its blocks (an invalidation).");
        else
            ImGui::TextUnformatted(
                "Binary translation: the guest kernel's code (ring 1) is translated a block at a time, the first "
                "time it runs. Ordinary instructions are copied; privileged and sensitive ones are rewritten into "
                "callouts to the monitor (highlighted). User code runs directly. A hit finds the translation in "
                "the cache; writing over code drops its blocks (an invalidation).");
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    if (vms > 1) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::CalcTextSize("vm 000").x + ImGui::GetFrameHeight() * 1.5f);
        if (ImGui::BeginCombo("##vm", ("vm " + std::to_string(view.vm)).c_str())) {
            for (int i = 0; i < int(vms); ++i)
                if (ImGui::Selectable(("vm " + std::to_string(i)).c_str(), view.vm == i)) view.vm = i;
            ImGui::EndCombo();
        }
    }

    // Left: the blocks; right: the selected one. A narrow panel (opened from
    // the row of title bars) has the selected one under the blocks instead.
    const float digit = ImGui::CalcTextSize("0").x;
    const bool beside = ImGui::GetContentRegionAvail().x * 0.64f >= digit * 40;
    const ImVec2 tableSize = beside ? ImVec2(ImGui::GetContentRegionAvail().x * 0.64f, 0)
                                    : ImVec2(0, ImGui::GetContentRegionAvail().y * 0.6f);
    ImGui::BeginChild("blocks", tableSize);
    view.rows.clear();
    for (const auto& [physical, record] : cache->records()) {
        const TranslatedBlock* block = cache->block(physical);
        auto [label, fresh] = view.labels.try_emplace(physical);
        if (fresh) label->second = symbolsOf(ui.sim).name(record.guestPc);
        view.rows.push_back(BlockRow{physical, record.guestPc, block ? block->instructions : 0,
                                     block ? block->rewritten : 0, record.droppedHits + (block ? block->hits : 0),
                                     record.translations, &label->second});
    }
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(3, 1));
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit |
                                  ImGuiTableFlags_BordersInnerV;
    if (ImGui::BeginTable("blocks", ColumnCount, flags)) {
        ImGui::TableSetupScrollFreeze(1, 1);
        const auto fixed = ImGuiTableColumnFlags_WidthFixed;
        // Narrow columns: the slot is 460 pixels wide; labels are clipped (the detail shows them whole).
        // A column is as wide as its header or its widest value, whichever is wider (room for the sort arrow too).
        auto width = [&](const char* header, float digits) {
            return std::max(ImGui::CalcTextSize(header).x + ImGui::GetFontSize(), digit * digits);
        };
        const char* rewrittenHeader = emulation ? "se/in" : "rw/in";
        ImGui::TableSetupColumn("addr", fixed, width("addr", 6), Address);
        ImGui::TableSetupColumn("label", fixed, digit * 6.0f, Label);
        ImGui::TableSetupColumn(rewrittenHeader, fixed, width(rewrittenHeader, 5), Rewritten);
        // The hottest blocks first: how few blocks take most of the hits is the point of a cache.
        ImGui::TableSetupColumn("hits", fixed | ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_PreferSortDescending,
                                width("hits", 6.5f), Hits);
        ImGui::TableSetupColumn("tr", fixed | ImGuiTableColumnFlags_PreferSortDescending, width("tr", 2), Translations);
        // The header row by hand, so that each header explains itself on hover.
        static const char* const kHeaderHelp[] = {
            "Guest address of the block's first instruction", "The nearest label in the guest's source",
            nullptr,
            "Times the block was entered after its translation: cache lookups plus direct jumps chained from "
            "another translated block",
            "Times translated: more than once when writing over its code dropped it"};
        const char* rewrittenHelp = emulation
                                        ? "Sensitive and privileged instructions / all instructions in the block "
                                          "(every one is emulated)"
                                        : "Instructions rewritten into callouts to the monitor / all instructions in the block";
        ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
        for (int c = 0; c < ColumnCount; ++c) {
            ImGui::TableSetColumnIndex(c);
            ImGui::TableHeader(ImGui::TableGetColumnName(c));
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", c == Rewritten ? rewrittenHelp : kHeaderHelp[c]);
        }
        sortRows(view, ImGui::TableGetSortSpecs());
        ImGuiListClipper clipper;
        clipper.Begin(int(view.rows.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const BlockRow& r = view.rows[size_t(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                char address[16];
                std::snprintf(address, sizeof address, "%06x", r.guestPc);
                ImGui::PushID(int(r.physical));
                if (ImGui::Selectable(address, view.selected == r.physical, ImGuiSelectableFlags_SpanAllColumns))
                    view.selected = r.physical;
                ImGui::PopID();
                const bool dropped = r.instructions == 0;
                if (dropped) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
                ImGui::TableNextColumn();
                textElided(dropped ? "(dropped)" : *r.label);
                ImGui::TableNextColumn();
                if (!dropped) ImGui::Text("%u/%u", r.rewritten, r.instructions);
                ImGui::TableNextColumn();
                ImGui::Text("%llu", static_cast<unsigned long long>(r.hits));
                ImGui::TableNextColumn();
                ImGui::Text("%u", r.translations);
                if (dropped) ImGui::PopStyleColor();
            }
        }
        ImGui::EndTable();
    }
    ImGui::PopStyleVar();
    ImGui::EndChild();
    if (beside) ImGui::SameLine();
    ImGui::BeginChild("block", ImVec2(0, 0));
    drawBlockDetail(ui, *cache, emulation);
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace ringsim::gui
