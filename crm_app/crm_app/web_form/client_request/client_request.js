frappe.ready(function () {
	// the form is public: nothing to prepare
});
