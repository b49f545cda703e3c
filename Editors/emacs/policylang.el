;;; policylang.el --- PolicyLang .policy files, with policyc lsp through eglot  -*- lexical-binding: t; -*-

;; Load it from init.el: (load "/path/to/Editors/emacs/policylang.el")
;; Needs eglot (built into Emacs 29; `M-x package-install RET eglot' on Emacs 26-28) and
;; `policyc' on PATH.  Diagnostics come through Flymake; `M-x eglot-format-buffer' formats,
;; `M-x eglot-code-actions' applies the did-you-mean fixes.

(defconst policylang-declaration-keywords
  '("policy" "import" "clause" "terms" "domains" "const" "hours" "dates" "severity"
    "escalate" "rule" "test" "override")
  "Words that start declarations (Grammar.md, section 1).")

(defvar policylang-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?# "<" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?\" "\"" table)
    table)
  "Syntax of .policy files: `#' comments, double-quoted strings.")

(define-derived-mode policylang-mode prog-mode "PolicyLang"
  "Major mode for PolicyLang policies."
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+\\s-*")
  (setq-local indent-tabs-mode nil)
  (setq-local font-lock-defaults
              `(((,(regexp-opt policylang-declaration-keywords 'symbols) . font-lock-keyword-face)
                 ("\\_<[A-Z][A-Z0-9]*-[0-9]+\\(?:\\.[0-9]+\\)*\\_>" . font-lock-constant-face)))))

(add-to-list 'auto-mode-alist '("\\.policy\\'" . policylang-mode))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '(policylang-mode . ("policyc" "lsp"))))

(add-hook 'policylang-mode-hook #'eglot-ensure)

(provide 'policylang)
;;; policylang.el ends here
