from kubetrainer.cli import main

raise SystemExit(main())
