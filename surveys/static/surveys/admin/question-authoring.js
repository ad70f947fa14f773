/*
 * Writing questions in the page editor.
 *
 * 1. A question's code and a choice's key, when left blank, follow the wording as it is typed
 *    (the same rule as surveys.questions.slug_code / unique_code, which fills any still blank on
 *    save). A code that was already there when the editor opened, or that the officer typed, is
 *    never touched: answers and exports depend on it.
 * 2. "Only ask if" shows a list of the earlier choice and scale questions and a list of the chosen
 *    question's answers, read from the form itself, so questions added in this edit are offered
 *    too. The two code boxes stay in the form (hidden) and are what is saved.
 */
(function () {
  "use strict";

  var MAX_CODE = 40;
  var SLUG_MAX = 30;
  // surveys.blocks.ABOUT_YOU_CODES: the "About you" questions come after these and keep their codes.
  var RESERVED = ["about-role", "about-ages", "about-district", "about-disability", "about-ethnicity"];

  function slugCode(text, fallback) {
    var plain = (text || "").normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
    var words = plain.match(/[a-z0-9]+/g) || [];
    var code = "";
    for (var i = 0; i < words.length; i++) {
      var candidate = code ? code + "-" + words[i] : words[i];
      if (candidate.length > SLUG_MAX) break;
      code = candidate;
    }
    if (!code && words.length) code = words[0].slice(0, SLUG_MAX);
    return code || fallback;
  }

  function uniqueCode(base, taken) {
    if (!taken.has(base)) return base;
    for (var n = 2; ; n++) {
      var suffix = "-" + n;
      var candidate = base.slice(0, MAX_CODE - suffix.length).replace(/[-_]+$/, "") + suffix;
      if (!taken.has(candidate)) return candidate;
    }
  }

  function field(form, name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function isDeleted(form, itemPrefix) {
    var deleted = field(form, itemPrefix + "-deleted");
    return deleted && deleted.value === "1";
  }

  // Auto codes: filled by this script, so they may follow the wording until someone types one.
  // A code seen for the first time is kept, unless it is blank or copies one already there (a
  // duplicated block), which would only fail on save.
  function track(inputs) {
    var seen = new Set();
    inputs.forEach(function (input) {
      var value = input.value.trim();
      if (!input.dataset.pvCode) {
        input.dataset.pvCode = value && !seen.has(value) ? "kept" : "auto";
        input.addEventListener("input", function (event) {
          if (event.isTrusted) input.dataset.pvCode = "kept";
        });
      }
      if (value) seen.add(value);
    });
  }

  // Which question or choice an option stands for: a token on its code box, which lives as long as
  // the block does (block ids and field names may be rewritten as the editor saves and reorders).
  var tokens = 0;
  function token(input) {
    if (!input.dataset.pvToken) input.dataset.pvToken = "t" + ++tokens;
    return input.dataset.pvToken;
  }

  function readQuestions(form) {
    var questions = [];
    form.querySelectorAll("[data-question]").forEach(function (el) {
      var codeInput = el.querySelector('input[name$="-value-code"]');
      if (!codeInput) return;
      var valuePrefix = codeInput.name.slice(0, -"-code".length);
      var itemPrefix = valuePrefix.replace(/-value$/, "");
      if (isDeleted(form, itemPrefix)) return;
      var typeInput = field(form, itemPrefix + "-type");
      var labelInput = field(form, valuePrefix + "-label");
      var question = {
        el: el,
        id: token(codeInput),
        type: typeInput ? typeInput.value : "",
        label: labelInput ? labelInput.value.trim() : "",
        codeInput: codeInput,
        choices: [],
      };
      el.querySelectorAll("[data-question-choice]").forEach(function (choiceEl) {
        var keyInput = choiceEl.querySelector('input[name$="-value-key"]');
        if (!keyInput) return;
        var choiceValuePrefix = keyInput.name.slice(0, -"-key".length);
        var choicePrefix = choiceValuePrefix.replace(/-value$/, "");
        if (isDeleted(form, choicePrefix)) return;
        var choiceLabel = field(form, choiceValuePrefix + "-label");
        question.choices.push({
          id: token(keyInput),
          label: choiceLabel ? choiceLabel.value.trim() : "",
          keyInput: keyInput,
        });
      });
      track(
        question.choices.map(function (choice) {
          return choice.keyInput;
        }),
      );
      questions.push(question);
    });
    track(
      questions.map(function (q) {
        return q.codeInput;
      }),
    );
    return questions;
  }

  function fillCodes(items, fallback, labelOf, inputOf, reserved) {
    var taken = new Set(reserved || []);
    items.forEach(function (item) {
      var input = inputOf(item);
      if (input.dataset.pvCode === "kept" && input.value.trim()) taken.add(input.value.trim().toLowerCase());
    });
    items.forEach(function (item) {
      var input = inputOf(item);
      if (input.dataset.pvCode !== "auto") return;
      var code = uniqueCode(slugCode(labelOf(item), fallback), taken);
      taken.add(code);
      if (input.value !== code) input.value = code;
    });
  }

  function answersOf(question) {
    if (question.type === "scale") {
      return ["1", "2", "3", "4", "5"].map(function (key) {
        return { id: key, label: key, key: key };
      });
    }
    return question.choices.map(function (choice, index) {
      return {
        id: choice.id,
        label: choice.label || "Choice " + (index + 1) + " (no wording yet)",
        key: choice.keyInput.value.trim(),
      };
    });
  }

  function shorten(text) {
    return text.length > 70 ? text.slice(0, 67) + "…" : text;
  }

  function setOptions(select, options, selected) {
    var signature = JSON.stringify([options, selected]);
    if (select.dataset.signature === signature) return;
    select.dataset.signature = signature;
    select.textContent = "";
    options.forEach(function (option) {
      var el = document.createElement("option");
      el.value = option.value;
      el.textContent = option.text;
      if (option.value === selected) el.selected = true;
      select.appendChild(el);
    });
  }

  function replaceWithSelect(input, className) {
    var select = document.createElement("select");
    select.id = input.id + "-list";
    select.className = className;
    var describedBy = input.getAttribute("aria-describedby");
    if (describedBy) select.setAttribute("aria-describedby", describedBy);
    input.insertAdjacentElement("afterend", select);
    input.hidden = true;
    input.setAttribute("aria-hidden", "true");
    input.tabIndex = -1;
    var label = document.querySelector('label[for="' + input.id + '"]');
    if (label) label.htmlFor = select.id;
    return select;
  }

  function enhance(rule, questions) {
    var questionInput = rule.querySelector('input[name$="-show_if-question"]');
    var answerInput = rule.querySelector('input[name$="-show_if-answer"]');
    if (!questionInput || !answerInput) return null;
    if (!rule.pvShowIf) {
      var questionSelect = replaceWithSelect(questionInput, "pv-show-if__question");
      var answerSelect = replaceWithSelect(answerInput, "pv-show-if__answer");
      // Start from the saved codes: which question, which answer.
      var source = questions.find(function (q) {
        return questionInput.value.trim() && q.codeInput.value.trim() === questionInput.value.trim();
      });
      var answer = source && answersOf(source).find(function (a) {
        return a.key === answerInput.value.trim();
      });
      rule.pvShowIf = {
        questionInput: questionInput,
        answerInput: answerInput,
        questionSelect: questionSelect,
        answerSelect: answerSelect,
        questionId: source ? source.id : questionInput.value.trim() ? "missing" : "",
        answerId: answer ? answer.id : answerInput.value.trim() ? "missing" : "",
      };
      questionSelect.addEventListener("change", function () {
        rule.pvShowIf.questionId = questionSelect.value;
        rule.pvShowIf.answerId = "";
        schedule();
      });
      answerSelect.addEventListener("change", function () {
        rule.pvShowIf.answerId = answerSelect.value;
        schedule();
      });
    }
    return rule.pvShowIf;
  }

  function refreshRule(rule, owner, questions) {
    var state = enhance(rule, questions);
    if (!state) return;
    var position = questions.indexOf(owner);
    var earlier = questions.slice(0, position < 0 ? questions.length : position).filter(function (q) {
      return q.type === "single_choice" || q.type === "multiple_choice" || q.type === "scale";
    });
    var questionOptions = [{ value: "", text: "Always ask this question" }];
    earlier.forEach(function (q) {
      var number = questions.indexOf(q) + 1;
      questionOptions.push({ value: q.id, text: "Question " + number + ": " + shorten(q.label || "(no wording yet)") });
    });
    var source = earlier.find(function (q) {
      return q.id === state.questionId;
    });
    if (state.questionId && !source) {
      // Moved after this question or deleted: keep the saved code so saving explains the problem.
      questionOptions.push({
        value: state.questionId,
        text: "'" + state.questionInput.value + "' (not an earlier choice question)",
      });
    }
    setOptions(state.questionSelect, questionOptions, state.questionId);

    var answers = source ? answersOf(source) : [];
    var answerOptions = [{ value: "", text: source ? "Choose an answer" : "Choose a question first" }];
    answers.forEach(function (a) {
      answerOptions.push({ value: a.id, text: shorten(a.label) });
    });
    var answer = answers.find(function (a) {
      return a.id === state.answerId;
    });
    if (state.answerId && !answer && !source) {
      answerOptions.push({ value: state.answerId, text: "'" + state.answerInput.value + "'" });
    }
    setOptions(state.answerSelect, answerOptions, answer || !source ? state.answerId : "");
    state.answerSelect.disabled = !source;

    if (source) {
      state.questionInput.value = source.codeInput.value.trim();
      state.answerInput.value = answer ? answer.key : "";
    } else if (!state.questionId) {
      state.questionInput.value = "";
      state.answerInput.value = "";
    }
  }

  function refreshForm(form) {
    var questions = readQuestions(form);
    fillCodes(
      questions,
      "question",
      function (q) {
        return q.label;
      },
      function (q) {
        return q.codeInput;
      },
      RESERVED,
    );
    questions.forEach(function (q) {
      fillCodes(
        q.choices,
        "choice",
        function (c) {
          return c.label;
        },
        function (c) {
          return c.keyInput;
        },
        // surveys.questions.OTHER_KEY: the 'Other, please say' box of a multiple choice question.
        q.type === "multiple_choice" ? ["other"] : [],
      );
    });
    questions.forEach(function (q) {
      var rule = q.el.querySelector("[data-show-if]");
      if (rule) refreshRule(rule, q, questions);
    });
  }

  var pending = false;
  var observer = null;

  function refreshAll() {
    pending = false;
    if (observer) observer.disconnect();
    var forms = new Set();
    document.querySelectorAll("[data-question]").forEach(function (el) {
      var form = el.closest("form");
      if (form) forms.add(form);
    });
    forms.forEach(refreshForm);
    if (observer) observer.observe(document.body, { childList: true, subtree: true });
  }

  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(refreshAll);
  }

  function start() {
    document.addEventListener("input", schedule, true);
    document.addEventListener("change", schedule, true);
    // Blocks added, removed or moved by the stream editor.
    document.addEventListener("click", schedule, true);
    observer = new MutationObserver(schedule);
    refreshAll();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
